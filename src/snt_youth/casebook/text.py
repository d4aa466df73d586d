"""The rule for free text a person writes into a record (notes, reflections, actions).

Free text is stored as written, and later printed, shown and exported (escaped each
time). It still may not hold what would act as something other than words somewhere
else: HTML elements, a leading character a spreadsheet would run as a formula, or
characters that are not text at all (control characters, unpaired surrogates). The
same rule applies to typed input and to an imported backup.
"""

from __future__ import annotations

import re

from snt_youth.errors import InvalidInput
from snt_youth.outside_text import check_text

# Real HTML elements and comments; a word in angle brackets ("<upstairs>") is words,
# and is escaped wherever it is printed.
_MARKUP = re.compile(
    r"<\s*/?\s*(?:script|style|iframe|frame|img|a|object|embed|link|meta|base|svg|math|form|"
    r"input|button|textarea|select|html|head|body|div|span|p|br|hr|b|i|u|em|strong|table|"
    r"tr|td|th|ul|ol|li|h[1-6])\b|<!--",
    re.IGNORECASE,
)
_FORMULA_START = ("=", "+", "@")


def check_free_text(text: str, what: str) -> str:
    """``text`` if it is plain words; otherwise InvalidInput naming ``what`` and the fix."""
    if not isinstance(text, str):
        raise InvalidInput(f"{what} must be text.")
    # Broken and control characters: outside_text's one rule. Printable ASCII has
    # neither, so the character-by-character check is needed only for other text.
    if not (text.isascii() and text.isprintable()):
        check_text(text, what, multiline=True)
    if _MARKUP.search(text):
        raise InvalidInput(f"{what} holds HTML markup; write it as plain words.")
    if text.lstrip().startswith(_FORMULA_START):
        raise InvalidInput(
            f"{what} starts with '{text.lstrip()[0]}', which a spreadsheet would run as a "
            "formula; start it with a word."
        )
    return text
