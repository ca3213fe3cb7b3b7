"""Hand-written cues for each Field Language Guide row and each Do-say idea.

The learned model (model.py) decides; these cues are the field guide's framings written as
patterns, and they only tip a borderline call (see `Scorer.score`). Each pattern stands for
the meaning of the Don't-say line, not its exact words, so a paraphrase the training set
never saw ("every request goes to the flagship") still points at the right row, and the
feedback can name the words that triggered it.
"""

import re

_MODEL = r"(?:model|llm|ai|gpt[- ]?4o?|o3|opus|flagship)"
_BIG = (
    r"(?:big(?:gest)?|large(?:st)?|top(?:-end|-of-the-line)?|flagship|frontier|premium|"
    r"most (?:powerful|capable|advanced|intelligent)|strongest|smartest|gpt[- ]?4o?|o3|opus)"
)

# Row number (1-10, the field guide's order) -> patterns for that Don't-say framing.
DONT_SAY_CUES: dict[int, list[str]] = {
    1: [
        rf"\b(?:one|single|same|{_BIG})\b[\w\s'-]{{0,30}}\b(?:for|on|to|into|through|across)\s+"
        r"(?:every(?:thing| request| task| workload| call| prompt| use case)?|"
        r"all (?:of it|requests|traffic|tasks|workloads)|the board)\b",
        r"\b(?:every|all)\s+(?:single\s+)?(?:request|call|prompt|task|workload|query)s?\b"
        rf"[\w\s'-]{{0,30}}\b(?:goes|go|sent|runs?|routed)?\s*(?:to|on|through)\s+(?:the\s+)?{_BIG}",
        r"\bgpt[- ]?4o?\b[\w\s'-]{0,20}\b(?:everything|all of it)\b",
        r"\b(?:everything|all of it|all (?:our |of our )?(?:traffic|requests|tasks|workloads))\b"
        rf"[\w\s'-]{{0,25}}\b(?:through|to|on|into|at)\s+(?:the\s+)?{_BIG}",
        r"\bone model, one api\b",
    ],
    2: [
        r"\b(?:ai|it|this|models?|inference|tokens?|llms?|language models|technology|platform|"
        r"stuff|compute|bills?)\b[\w\s'-]{0,25}\b(?:expensive|costly|pricey|pricy|not cheap|"
        r"isn't cheap|costs? (?:a lot|real money)|priced like)\b",
        r"\b(?:expensive|costly|pricey) (?:category|technology|business)\b",
        r"\bcosts? (?:a fortune|an arm and a leg|a bomb|a packet|the earth)\b",
        r"\b(?:eye-watering|through the roof|sky-high)\b",
        r"\b(?:big|huge|heavy) (?:line item|bill|spend)\b",
    ],
    3: [
        r"\b(?:the|our)\s+(?:best|most (?:powerful|capable|advanced|intelligent)|strongest|"
        r"smartest|top(?:-of-the-line)?|highest[- ](?:ranked|capability)|number one|leading)\s+"
        r"(?:model|llm|ai|one)\b",
        r"\bbest[- ]in[- ]class model\b",
        r"\btops? the leaderboard\b",
        r"\bneed the best\b",
    ],
    4: [
        r"\b(?:small|tiny|little|mini|compact|lightweight|haiku[- ]class)\b[\w\s'-]{0,25}"
        r"\b(?:can't|cannot|can not|aren't|isn't|not (?:smart|capable|up to)|too (?:weak|limited)|"
        r"toys?|don't have the|break down|won't)\b",
        r"\b(?:skip|avoid|bypass|steer clear of|don't bother with)\b[\w\s'-]{0,20}\b"
        r"(?:small|tiny|mini|compact|lightweight)\b",
    ],
    5: [
        r"\b(?:evaluating|choosing|picking|selecting|shortlisting|trialling|comparing)\b"
        r"[\w\s'-]{0,25}\b(?:which )?(?:model|llm|vendor)s?\b",
        r"\bwhich (?:model|llm)\b[\w\s'-]{0,20}\b(?:to use|you go with|wins|on top)\b",
        r"\b(?:pick|choose|select|settle on|narrow it down to|crown)\b[\w\s'-]{0,15}\b"
        r"(?:model|winner|one)\b",
        r"\b(?:bake-off|shootout|model[- ]selection|model[- ]choice)\b",
    ],
    6: [
        r"\b(?:whole|entire|full|complete)\s+(?:workflow|process|flow|job|pipeline|thing)\b",
        r"\b(?:end to end|end-to-end|start to finish|from start to finish|intake to resolution)\b",
        r"\b(?:one|single|same)\s+(?:model|agent|llm)\b[\w\s',-]{0,40}\b(?:every step|each stage|"
        r"all on its own|does everything|the whole|no hand-offs)\b",
        r"\bevery step\b[\w\s'-]{0,30}\b(?:one|single) model\b",
    ],
    7: [
        r"\b(?:using|runs on|run on|built on|powered by|it's|we're on|went with|on|just say)\s+"
        r"(?:claude|anthropic|openai|gemini|google's models|gpt)\b(?![\s-]*(?:sonnet|opus|haiku|"
        r"\d|flash|mini|ultra))",
        r"\b(?:anthropic|openai|google) shop\b",
        r"\bgpt-based\b",
    ],
    8: [
        r"\b(?:unpredictable|volatile|erratic|wild card|moving target|guesswork|all over the place|"
        r"bounce around|swings?)\b",
        r"\b(?:can't|cannot|no way to|nobody can|impossible to|hard to)\s+(?:really\s+)?"
        r"(?:forecast|predict|budget|know what it'll cost|pin down|tell you what)\b",
        r"\bexpect surprises\b",
    ],
    9: [
        r"\b(?:test|pilot|trial|try|benchmark|start|begin|launch|prove value|proof of concept)\b"
        rf"[\w\s'-]{{0,30}}\b{_BIG}\b[\w\s'-]{{0,30}}\b(?:first|later|afterwards|after that|"
        r"then we'll see|see what happens|go from there|can wait|comes? later)\b",
        r"\btest the frontier model first\b",
    ],
    10: [
        r"\b(?:isn't|is not|not|aren't)\s+(?:accurate|precise|good|reliable|correct)\s+enough\b",
        r"\b(?:too (?:many mistakes|error-prone|unreliable|inaccurate)|hallucinates? too|"
        r"gets things wrong|too many (?:answers )?wrong|hit and miss)\b",
        r"\b(?:accuracy|precision|quality)\b[\w\s'-]{0,20}\b(?:too low|isn't (?:where|good)|"
        r"weak spot|not acceptable|isn't acceptable)\b",
    ],
}

# Idea key -> patterns for that Do-say idea.
IDEA_CUES: dict[str, list[str]] = {
    "tier_named": [
        r"\b(?:mid-?tier|frontier|small(?:-tier)? models?|small tier|sonnet|opus|haiku|"
        r"flash(?:-lite)?|gpt-4\.1 mini|grok-3 mini)\b",
    ],
    "routing_logic": [
        r"\b(?:rout(?:e|es|ed|ing|er)|task complexity|which tasks go to which tier|"
        r"matches? (?:the )?task)\b",
    ],
    "fit_for_purpose": [
        r"\b(?:right model for (?:each|the) task|fit for purpose|fit-for-purpose|right tool|"
        r"right tier|best at what|built for)\b",
    ],
    "midtier_cost_share": [
        r"\b(?:80 ?%|80 percent|eighty percent|10\s?(?:–|-|to)\s?20 ?(?:%|percent)|"
        r"fraction of (?:the|frontier)|most (?:production )?traffic|bulk of|task volume|"
        r"volume is the variable)\b",
    ],
    "accuracy_at_tier": [
        r"\b(?:accuracy at which tier|as good at what|at what task|which tier|evaluation|"
        r"eval(?:s|uate)?|task fit|methodology)\b",
    ],
    "prediction_not_policy": [
        r"\b(?:prediction|predicts?|inference problem|not a (?:policy|rule)\w*|"
        r"not (?:a )?(?:policy|threshold) lookup|step-up|adaptive auth\w*)\b",
    ],
}

_COMPILED_DONT = {
    row: [re.compile(p, re.IGNORECASE) for p in patterns] for row, patterns in DONT_SAY_CUES.items()
}
_COMPILED_IDEAS = {
    key: [re.compile(p, re.IGNORECASE) for p in patterns] for key, patterns in IDEA_CUES.items()
}


def _first_match(patterns: list[re.Pattern], text: str) -> str:
    for pattern in patterns:
        match = pattern.search(text)
        if match:
            return match.group(0).strip()
    return ""


_VENDOR = re.compile(
    r"\b(?:claude|anthropic|openai|gemini|google's models|gpt-based|gpt)\b", re.IGNORECASE
)
_TIER_WORDS = re.compile(
    r"\b(?:sonnet|opus|haiku|flash|mini|ultra|mid-?tier|frontier|small model|tiers?)\b",
    re.IGNORECASE,
)


def dont_say_cues(text: str) -> dict[int, str]:
    """Row -> the words that matched its framing (only rows with a match)."""
    found = {row: _first_match(patterns, text) for row, patterns in _COMPILED_DONT.items()}
    # Row 7 ("We're using Claude") is a vendor named with no tier anywhere in the reply.
    vendor = _VENDOR.search(text)
    if vendor and not found.get(7) and not _TIER_WORDS.search(text):
        found[7] = vendor.group(0)
    if found.get(7) and _TIER_WORDS.search(text):
        found[7] = ""
    return {row: words for row, words in found.items() if words}


def idea_cues(text: str) -> dict[str, str]:
    """Idea key -> the words that carried it (only ideas with a match)."""
    found = {key: _first_match(patterns, text) for key, patterns in _COMPILED_IDEAS.items()}
    return {key: words for key, words in found.items() if words}
