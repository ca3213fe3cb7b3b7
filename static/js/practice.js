// Practice pages: show the server's validation message (422/413/429) in place.
// htmx does not swap 4xx responses by default; these carry a partial meant for the page.
document.addEventListener("htmx:beforeSwap", function (event) {
  var status = event.detail.xhr.status;
  if ((status === 413 || status === 422 || status === 429) &&
      event.detail.elt.closest("[data-practice]")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
