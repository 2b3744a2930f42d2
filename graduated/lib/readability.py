"""How hard a text is to read: the Flesch-Kincaid grade level, from words, sentences and syllables.

Families' pages aim at a reading age of about 9 to 11 (US grade 4 to 6). Syllables are counted by
the usual vowel-group rule, which is close enough to tell a plain sentence from a heavy one; the
point is to catch long sentences and long words early, not to score to a decimal place.
"""

import html
import re

_TRANSLATE = re.compile(r"""\{%\s*translate\s+(["'])(.*?)\1.*?%\}""", re.S)
_TAG = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.S)
_HTML = re.compile(r"<[^>]+>")


def syllables(word: str) -> int:
    word = re.sub(r"[^a-z]", "", word.lower())
    if not word:
        return 0
    if len(word) <= 3:
        return 1
    word = re.sub(r"(?:[^laeiouy]es|ed|[^laeiouy]e)$", "", word)
    word = re.sub(r"^y", "", word)
    return max(1, len(re.findall(r"[aeiouy]{1,2}", word)))


def grade(text: str) -> float:
    """The Flesch-Kincaid grade of ``text``; each line or clause ending in . ! ? : ; is a sentence."""
    sentences = [part for part in re.split(r"[.!?:;\n]+", text) if re.search(r"[A-Za-z]", part)]
    words = re.findall(r"[A-Za-z']+", text)
    if not words:
        return 0.0
    per_sentence = len(words) / len(sentences)
    per_word = sum(syllables(word) for word in words) / len(words)
    return 0.39 * per_sentence + 11.8 * per_word - 15.59


def template_words(source: str) -> str:
    """The product's own words in a Django template: the text, translated strings included, with
    the variables (the record's data), tags and HTML taken out; each element's text on its own line."""
    source = _TRANSLATE.sub(lambda found: found.group(2), source)
    return html.unescape(_HTML.sub("\n", _TAG.sub(" ", source)))
