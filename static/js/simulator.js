// Routing simulator: let htmx swap in our 4xx answers (a too-long task, a bad plan line
// count, an oversized upload) so the message appears in place; the server sends the partial.
document.addEventListener("htmx:beforeSwap", function (event) {
  var status = event.detail.xhr.status;
  if (status === 400 || status === 413 || status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
