"""The router generalises to buyer-written tasks it has never seen.

These sentences were written for this test, in buyers' own words, and are not in the corpus
(the last test checks that). Labels follow the corpus rubric (RUBRIC.md): can you write a
deterministic rubric for the correct output before the model runs? No -> frontier. Yes, and
the output is a label/score/route or fields from structured input -> small. Yes, and the
output is text or data synthesised from well-defined input -> mid.
"""

from routing.classifier import route
from routing.classifier.corpus import load_corpus

FRESH_TASKS = [
    # small: a label, a score, a yes/no, a route
    (
        "Every chat that comes into our help centre needs to be tagged billing, technical or "
        "account before an agent picks it up.",
        "small",
    ),
    ("We want to mark each uploaded expense receipt as duplicate or not duplicate.", "small"),
    (
        "Which of our 40k daily inbound emails are out-of-office auto-replies? Filter those out.",
        "small",
    ),
    ("Score every product review from 1 to 5 for how angry the customer sounds", "small"),
    ("Route incoming patient portal messages to the right clinic inbox", "small"),
    (
        "need a quick check on each job application: does it include a cover letter yes or no",
        "small",
    ),
    (
        "Identify the language of every support call transcript so it goes to the right team.",
        "small",
    ),
    ("The system shall assign a priority code P1 to P4 to each new IT ticket on arrival.", "small"),
    ("Label each transaction in the card feed with a merchant category code", "small"),
    ("Flag any outbound message that contains a credit card number before it is sent.", "small"),
    ("Pick which downstream model should handle each incoming user request", "small"),
    ("Sort the scanned mail into invoices, contracts and everything else", "small"),
    # mid: summarise, translate, extract, answer from known docs, draft within guardrails
    (
        "Summarise each weekly project status meeting into five bullet points for the sponsor.",
        "mid",
    ),
    (
        "Translate our product catalogue descriptions from English into Spanish and Portuguese.",
        "mid",
    ),
    (
        "Our HR team wants employees to ask questions about the leave policy and get answers from "
        "the handbook.",
        "mid",
    ),
    (
        "Pull the invoice number, supplier, due date and line items out of the PDF invoices we "
        "receive by email.",
        "mid",
    ),
    (
        "Draft a polite reply to each customer asking where their order is, using the tracking "
        "data we already have.",
        "mid",
    ),
    ("Turn the engineers' release notes into a customer-friendly changelog", "mid"),
    ("Write a short product description for each new SKU from its spec sheet.", "mid"),
    ("Condense discharge notes into a plain-language summary the patient can read", "mid"),
    ("Answer sales reps' questions about pricing using our internal pricing wiki", "mid"),
    ("Rewrite each job posting into our standard template with the same sections", "mid"),
    ("Create meeting minutes from the board call recording transcript", "mid"),
    (
        "Extract the policyholder name, claim amount and incident date from each claim form email",
        "mid",
    ),
    # frontier: judgment under ambiguity, no rubric before the model runs
    (
        "Review the acquisition target's contracts and tell us which obligations could expose us "
        "to litigation after the deal.",
        "frontier",
    ),
    (
        "We need help deciding how to restructure our pricing tiers when competitors' moves and "
        "our churn data point in different directions.",
        "frontier",
    ),
    (
        "Write the authentication module for our payments service, including token handling and "
        "key rotation.",
        "frontier",
    ),
    (
        "Interpret whether our new remote-work arrangement in three countries creates tax and "
        "employment-law obligations.",
        "frontier",
    ),
    (
        "An agent that takes a vague request like 'get our Q3 board pack ready', works out the "
        "steps, pulls data from several systems and recovers when one fails.",
        "frontier",
    ),
    (
        "Investigate why revenue recognition in two subsidiaries disagrees and recommend which "
        "treatment our auditors will accept.",
        "frontier",
    ),
    (
        "Assess a patient's conflicting lab results and history and suggest a differential "
        "diagnosis for the physician to review.",
        "frontier",
    ),
    (
        "Plan our cloud migration sequence for 300 legacy applications with unclear dependencies",
        "frontier",
    ),
    (
        "Advise on how to respond to a regulator's ambiguous information request without "
        "waiving privilege.",
        "frontier",
    ),
    (
        "Design a negotiation strategy for renewing our largest supplier contract given the "
        "market shortage.",
        "frontier",
    ),
    (
        "Figure out from the whistleblower report and the email archive whether fraud happened "
        "and who was involved.",
        "frontier",
    ),
    (
        "Decide which of the conflicting clinical guidelines should apply to our hospital's "
        "sepsis protocol and explain why.",
        "frontier",
    ),
]


def test_there_are_enough_fresh_tasks_across_tiers():
    tiers = [tier for _, tier in FRESH_TASKS]
    assert len(FRESH_TASKS) >= 30
    assert min(tiers.count(t) for t in ("small", "mid", "frontier")) >= 10


def test_fresh_tasks_are_not_in_the_corpus():
    corpus = {e.text.strip().lower() for e in load_corpus()}
    for text, _ in FRESH_TASKS:
        assert text.strip().lower() not in corpus


def test_router_accuracy_on_unseen_buyer_tasks_is_at_least_80_percent():
    """The classifier's own pick (before step-up) is right for at least 80% of them."""
    misses = []
    for text, expected in FRESH_TASKS:
        decision = route(text)
        if decision.model_tier != expected:
            misses.append(
                f"{expected} -> {decision.model_tier} ({decision.confidence:.2f}): {text}"
            )
    accuracy = 1 - len(misses) / len(FRESH_TASKS)
    print(f"fresh-task accuracy {accuracy:.3f}", *misses, sep="\n  ")
    assert accuracy >= 0.8, "\n".join(misses)
