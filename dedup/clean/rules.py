"""The cleaning rules: one function per rule, each naming the lines it drops and why.

Every rule has the same shape: it reads a :class:`Page` (the lines still standing, in order, with
the zones derived from them) and returns ``{position: evidence}`` for the lines it would drop. The
driver (:func:`dedup.clean.clean`) applies the rules in :data:`RULES` order, rebuilding the page
after each, so a rule sees the page as the earlier rules left it (a menu already gone no longer
splits a run of related headlines, a byline already gone no longer hides the headline).

The rules prefer structural evidence (repetition, runs of short lines, the template zones above
the first and below the last body paragraph) to word lists; the patterns they do use describe page
furniture in general (copyright, cookies, sharing, bylines, datelines), never one site.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Final

from .lines import (
    _COMMON_PUNCT,
    WORD,
    Line,
    _has_any,
    content_words,
    count_words,
    lower,
    native,
    title_ratio,
    which_in,
)
from .lines import COPY_WORDS as _COPY_WORDS
from .lines import DISCLAIM_WORDS as _DISCLAIM_WORDS
from .lines import GUARD_WORDS as _GUARD_WORDS
from .lines import GUARDS as _GUARDS
from .lines import PROSE_WORDS as _PROSE_WORDS
from .lines import PROSE_WORDS_PLAIN as _PROSE_WORDS_PLAIN

# ---------------------------------------------------------------------------------------------
# Patterns. Compiled once; each describes a kind of page furniture, not a particular site.

_MONTH: Final = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY: Final = r"(?:mon|tue|wed|thu|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\.?"
#: Dates, times, weekdays and "3 hours ago" — what a timestamp line is made of: a date or time that
#: starts with a digit ...
_DATE_FROM_DIGIT: Final = (
    rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?(?:\s+\d{{4}})?"
    r"|\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?"
    r"|\d{1,2}[./]\d{1,2}[./]\d{2,4}"
    r"|\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s+[A-Z]{2,4}\b)?|\d{1,2}\.\d{2}\s*[ap]\.?m\.?"
    r"|\d{1,2}\s*[ap]\.?m\.?"
    r"|\d+\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago"
    r"|(?:19|20)\d{2}"
)
#: ... or with a letter.
_DATE_FROM_LETTER: Final = (
    rf"{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|{_MONTH}\s+\d{{4}}|{_WEEKDAY}|today|yesterday"
)
#: Both, at the start of a word that starts with a digit or with the first letter of one of the
#: words above. Grouped by first character (each group in its own order; no two alternatives of
#: different groups can match at one place), the pattern finds the same spans as their plain
#: alternation in three fifths of the time: Python's regex engine tries every alternative at every
#: word boundary, and these lookaheads rule most of them out at once (tested against that alternation).
DATE_PARTS: Final = re.compile(
    rf"(?i)(?<!\w)(?=[\dadfjmnostwy])(?:(?=\d)(?:{_DATE_FROM_DIGIT})|{_DATE_FROM_LETTER})\b"
)
#: Words that often sit next to a timestamp without being content.
DATE_LABELS: Final = re.compile(
    r"(?i)\b(?:published|updated|posted|modified|last|on|at|am|pm|by|and|min|read|reading"
    r"|gmt|utc|edt|est|cst|pst|bst|cet|ist)\b"
)


#: The only characters that case-insensitive matching takes for ASCII letters (İ ı ſ K), and the
#: only one whose lower case is longer (İ).
_CASE_SPECIALS: Final = ("\u0130", "\u0131", "\u017f", "\u212a")


def _plain_case(text: str) -> bool:
    """Whether :func:`_lower_twin` patterns may stand in for their originals on ``text``: it holds none
    of :data:`_CASE_SPECIALS` (lower-casing changes neither ``\\w``, ``\\s``, ``\\d`` nor length then)."""
    return text.isascii() or not _has_any(text, _CASE_SPECIALS)


def _plain_case_line(ln: Line) -> bool:
    """:func:`_plain_case` of the line's text. A line whose words are all ASCII (``LineText._ascii``)
    holds no other characters than ASCII and the common punctuation (see
    :data:`~dedup.clean.lines._COMMON_PUNCT`), so none of :data:`_CASE_SPECIALS`: only the others
    are searched (four substring searches over a paragraph with a curly quote in it, before)."""
    return ln.t._ascii or _plain_case(ln.text)


assert not set(_CASE_SPECIALS) & set(_COMMON_PUNCT)


def _lower_twin(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """A case-sensitive copy of a case-insensitive pattern of ASCII letters, for lower-cased text:
    on a text ``t`` passing :func:`_plain_case`, ``twin.search(t.lower())`` finds what
    ``pattern.search(t)`` finds, at the same place. Python's case-insensitive matching is much slower."""
    source = pattern.pattern.removeprefix("(?i)")
    # No inline flags, group names or escaped backslashes, which lower-casing could corrupt.
    assert not re.search(r"\(\?[A-Za-z]", source) and "\\\\" not in source, source
    return re.compile(re.sub(r"(?<!\\)[A-Z]", lambda m: m.group().lower(), source))


_DATE_PARTS_LOW: Final = _lower_twin(DATE_PARTS)
_DATE_LABELS_LOW: Final = _lower_twin(DATE_LABELS)


#: A byline: "By Jane Doe", "Written by Jane Doe and John Roe", "Author: Jane Doe".
BYLINE: Final = re.compile(
    r"^(?:(?i:(?:written|posted|reported|story|words|text|edited|compiled|photos?|reporting|published))\s+)?"
    r"(?i:by)\s+[\w“\"']|^(?i:author|authors|reporter|writer|posted by)\s*:"
)
#: A byline naming a desk rather than a person: "By the Stormdesk weather team", "By Staff Reporters".
STAFF_BYLINE: Final = re.compile(
    r"(?i)^by\s+(?:the\s+)?(?:[\w.&'’-]+\s+){0,4}(?:staff|team|desk|newsroom|reporters?|editors?|correspondents?)$"
)
#: ... and in other languages: "Redacción", "Por la redacción", "Da Redação", "Von der Redaktion",
#: "Tim Redaksi", Thai "โดย ทีมข่าวภูมิภาค" (by the regional news team), Hindi "न्यूज़ डेस्क" (news desk),
#: "ब्यूरो रिपोर्ट" (bureau report).
DESK_BYLINE: Final = re.compile(
    r"(?i)^(?:(?:por|par|von|da|di|oleh)\s+)?(?:(?:la|der|a|della)\s+)?(?:tim\s+)?"
    r"(?:redacci[oó]n|reda[cç][aã]o|r[eé]daction|redaktion|redazione|redaksi)(?:\s+[\w.-]+){0,2}$"
    r"|^(?:โดย|ข่าวโดย|เรื่องโดย)\s*(?:ทีมข่าว|กองบรรณาธิการ|ผู้สื่อข่าว|โต๊ะข่าว)\S*$"
    r"|^(?:(?:रिपोर्ट|द्वारा|लेखक)\s*[:：]\s*)?(?:\S+\s+){0,2}(?:डेस्क|ब्यूरो(?:\s+रिपोर्ट)?)$"
)
#: What a :data:`DESK_BYLINE` holds (checked before it).
_DESK_WORDS: Final = ("reda", "rédac", "ทีมข่าว", "กองบรรณาธิการ", "ผู้สื่อข่าว", "โต๊ะข่าว", "डेस्क", "ब्यूरो")
#: An ad slot's label in the languages crawls meet most, as a line of its own (case-folded; English
#: ones are :data:`ADVERT`'s).
AD_LABELS: Final = frozenset(
    """
    anzeige werbung publicidad anuncio publicidade publicité pubblicità advertentie reclame reklama reklam annons
    annonse mainos hirdetés iklan реклама διαφήμιση פרסומת إعلان विज्ञापन বিজ্ঞাপন விளம்பரம் โฆษณา 広告 广告 廣告 광고
    """.split()
) | {"quảng cáo", "ad feedback", "video ad feedback"}
#: A comments widget's label in the languages crawls meet most, as a line of its own (case-folded;
#: English ones are :data:`COMMENTS`'), or the same after a count ("12 comentarios").
COMMENT_LABELS: Final = frozenset(
    """
    comentar comentario comentarios comentário comentários comente commentaire commento kommentare kommentar kommentieren commentaires commenter commenti commenta
    комментарии комментарий комментариев комментария комментировать коментарі коментарів коментар komentar komentarze skomentuj reacties reageer yorumlar
    コメント 评论 評論 댓글 टिप्पणी टिप्पणियाँ ความคิดเห็น التعليقات تعليقات
    """.split()
) | {"bình luận", "yorum yap", "deja tu comentario", "deixe seu comentário", "laisser un commentaire"}
#: A view counter: "Visto 314 veces", "Viewed 1,204 times", "2.3K views", "1 234 просмотра".
VIEW_COUNT: Final = re.compile(
    r"(?i)^(?:(?:visto|viewed|read|leído|lido|gelesen|lu|letto)\s+\d[\d.,]*\s+(?:veces|times|vezes|mal|fois|volte)"
    r"|\d[\d.,\s]*[km]?\s*(?:views|visualizações|visualizaciones|vistas|visitas|aufrufe|vues|visualizzazioni"
    r"|просмотр\w*|переглядів|wyświetle\w*|görüntülenme|lượt\s+xem))$"
)
#: What a count before a :data:`COMMENT_LABELS` label is made of.
_COUNT_CHARS: Final = "0123456789., "
#: What :data:`AD_LABELS` are stripped of first.
_LABEL_MARKS: Final = " -–—:·|[]()*•"
#: Reading-time and audio-player labels: "6 min read", "Listen to this article · 4 min".
READING_TIME: Final = re.compile(
    r"(?i)^(?:\d+\s*(?:min(?:ute)?s?|m)\s+(?:read|listen)(?:ing)?(?:\s+time)?"
    r"|(?:estimated\s+)?(?:reading|read|listening)\s+time\s*:?\s*\d+\s*(?:min(?:ute)?s?|m)"
    # ... in other languages: "Tempo de leitura: 1 minuto", "Lesezeit: 4 Min.", "Temps de lecture : 3 min"
    r"|(?:tempo\s+de\s+leitura|tiempo\s+de\s+lectura|temps\s+de\s+lecture|tempo\s+di\s+lettura|lesezeit|leestijd"
    r"|czas\s+czytania)\s*:?\s*(?:ca\.?\s*|~\s*)?\d+\s*(?:min(?:uto|utos|uti|uten|ut|utes?|\.)?)"
    r"|listen\s+to\s+(?:this\s+)?(?:article|story|episode)\b.{0,20})$"
)
#: Category tags and breadcrumbs: "in Politics", "Tags: ...", "Topics ...".
CATEGORY: Final = re.compile(
    r"^(?:in\s+[A-Z&]|(?i:filed\s+under|posted\s+in|categor(?:y|ies)|tags?|tagged|topics?|labels?"
    r"|keywords?|sections?|more\s+about)\b)"
)
#: Photo and image credits.
CREDIT: Final = re.compile(
    r"^(?i:(?:photo|image|picture|video|illustration|graphic|file\s+photo|cover)s?"
    r"(?:\s+(?:credits?|courtesy|by|source))?\s*[:|/©]"
    r"|(?:photo|image)\s+(?:by|courtesy|credit)\b|credits?\s*:|courtesy\s+(?:of\s+)?\S)"
    r"|\b(?:[A-Z][A-Za-z]+\s*/\s*(?:Getty|AFP|AP|Reuters|REUTERS|Shutterstock|Alamy|EPA|Bloomberg|Associated\s+Press)\b"
    r"|Getty Images|Shutterstock|AFP via Getty|AP Photo|EPA-EFE|REUTERS/)"
)
#: A caption ending in its credit: "... the harbour. Picture: Jane Doe", "... (Image: Getty)".
CAPTION_CREDIT: Final = re.compile(
    r"(?i)(?:[.!?]\s+(?:picture|photo|photograph|image|credit|foto)s?\s*(?:credit)?\s*:\s*[^.!?]{2,60}"
    r"|\((?:picture|photo|photograph|image|credit)s?\s*(?::|by)\s*[^)]{2,60}\))\s*$"
)
#: Photo agencies and services as credits name them.
_AGENCY: Final = r"(?:AP|AFP|Reuters|REUTERS|Getty\s+Images|EPA(?:-EFE)?|Bloomberg|Shutterstock|Alamy|Xinhua|Invision|dpa|ANP)"
#: A caption of any length that ends in its credit, as agencies and papers print it: "(AP Photo/Jane
#: Doe, File)", "(Photos by Jane Doe/Invision/AP)", "(Jane Doe/The Courier via AP)", "REUTERS/Jane
#: Doe", "Jane Doe / AP file", "... Photograph by Jane Doe/AFP/Getty Images". A paragraph of a story
#: never ends so. Searched in the last :data:`_CREDIT_TAIL` characters of a line.
ENDING_CREDIT: Final = re.compile(
    r"(?:\((?:[A-Z][\w&.'’-]*\s+){0,3}(?i:photos?|photograph|pictures?|images?|fotos?)\s*(?:/|:|\bby\b)[^()]{2,80}\)"
    rf"|\([^()]{{2,80}}/[^()]{{0,40}}\b{_AGENCY}\)"
    r"|\bREUTERS/[A-Z][\w.'’ -]{1,50}"
    r"|[.!?”\"]\s+(?i:photograph|photo|picture|image)s?(?:\s+by\b|\s*:)\s*[^.!?]{2,80}"
    rf"|\b[A-Z][\w.'’-]*(?:\s+[\w.'’-]+){{0,3}}\s+/\s+{_AGENCY}(?:\s+(?i:file|photo))?"
    r")$"
)
_CREDIT_TAIL: Final = 200


def _may_end_in_credit(text: str, low: str) -> bool:
    """Whether :data:`ENDING_CREDIT` can match: it ends in a bracket or a letter (a paragraph mostly
    ends in a stop or a quote) and holds a slash or a photo word."""
    last = text[-1]
    if last != ")" and not last.isalpha():
        return False
    return "/" in text or "photo" in low or "pictur" in low or "image" in low or "foto" in low


#: Hindi "यह भी पढ़ें" (read this too), "ये भी पढ़ें", "इसे भी पढ़ें", "और पढ़ें" (read more), "पढ़ें" with its
#: nukta composed or not; for :data:`STORY_LINK` and :data:`RELATED_HEADER`.
_HINDI_READ_ALSO: Final = "(?:(?:यह|ये|इसे)\\s+भी|और)\\s+प(?:\u0922\u093c?|\u095d)\u0947\u0902"
#: A link to another story: "Read more: ...", "See also: ...".
STORY_LINK: Final = re.compile(
    r"(?i)^(?:read\s+(?:more|also|next)|also\s+read|see\s+also|related|more|watch|listen"
    # ... and "Read also:" in the languages crawls meet most
    f"|{_HINDI_READ_ALSO}"
    r"|อ่านเพิ่มเติม|อ่านต่อ|อ่านข่าวที่เกี่ยวข้อง|lee\s+tambi[eé]n|leer\s+m[aá]s|leia\s+(?:tamb[eé]m|mais)"
    r"|veja\s+tamb[eé]m|(?:[àa]\s+)?lire\s+(?:aussi|[ée]galement)|voir\s+aussi|lesen\s+sie\s+(?:auch|mehr)"
    r"|mehr\s+zum\s+thema|leggi\s+anche|baca\s+juga|читайте\s+также|смотрите\s+также|関連記事|相关阅读|延伸阅读"
    r"|推荐阅读|xem\s+thêm|đọc\s+thêm|czytaj\s+(?:także|też)|zobacz\s+(?:także|też)|lees\s+ook|اقرأ\s+أيضا|اقرأ\s+أيضًا)"
    r"\s*[:：]\s*\S"
)
COPYRIGHT: Final = re.compile(r"(?i)©|\(c\)\s*\d{4}|\bcopyright\b|\ball rights reserved\b")
#: A notice forbidding the reader to copy the page: "This material may not be published, broadcast,
#: rewritten or redistributed." (the wire agencies' notice), "The material on this site may not be
#: reproduced ...", "No part may be reproduced without ...". It speaks of the page or its material.
REPRODUCTION: Final = re.compile(
    r"(?i)\b(?:material|content|contents|articles?|stor(?:y|ies)|pages?|site|website|publication|document"
    r"|report|text|broadcast|feed|information)\b(?:\s+[\w.]+){0,4}?\s+(?:may|must|shall)\s+not\s+be\s+"
    r"(?:\w+,?\s+(?:or\s+|and\s+)?){0,5}(?:reproduced|republished|rewritten|redistributed)\b"
    r"|\bno\s+part\b.{0,60}\bmay\s+be\s+(?:reproduced|republished|redistributed)\b"
    r"|\bno\s+(?:reproduction|republication|redistribution)\s+without\s+(?:prior\s+)?(?:written\s+)?permission\b"
)
#: Stems of "error" and "the editors" (see :data:`TYPO_REPORT`).
_ERROR_STEMS: Final = "(?:typo|mistake|error|опечат|ошиб|помил|редак|kļūd|redakt|fehler|błąd|faute|errore|erro)"
#: The prompt of a typo-report widget: "Found a typo? Select the text and press Ctrl+Enter", in any
#: language, as long as the line also speaks of an error or (not in English, where it may be a text
#: editor) the editors ("Нашли опечатку? Выделите текст и нажмите Ctrl+Enter", "... spiediet
#: Ctrl+Enter, lai nosūtītu ... redaktoram!"); a how-to naming the keys ("press Ctrl+Enter to
#: send", "in the editor, press Ctrl+Enter") stays.
TYPO_REPORT: Final = re.compile(
    rf"(?i)\bctrl\s*\+\s*enter\b(?=.*{_ERROR_STEMS})|{_ERROR_STEMS}.*\bctrl\s*\+\s*enter\b"
)
COOKIE: Final = re.compile(
    r"(?i)\bcookies?\b.*\b(?:use|uses|using|accept|consent|settings|policy|preferences|browsing|experience)\b"
    r"|\b(?:use|uses|using|accept|consent)\b.*\bcookies?\b"
)
NEWSLETTER: Final = re.compile(
    r"(?i)^(?:subscribe|sign\s*up|sign\s*in|log\s*in|register|join)\b"
    r"|\b(?:sign\s*up|subscribe)\b.{0,80}\b(?:newsletter|updates|inbox|e-?mail|alerts|digest)\b"
    r"|\bnewsletters?\b"
    # ... and what a sign-up box says once a reader has used it, or on its way to the inbox
    r"|\b(?:to|in|into|meet|hits?)\s+your\s+inbox\b|\b(?:now|successfully|succesfully)\s+subscribed\b"
    r"|\bunsubscribe\b|\bclick\s+(?:here\s+)?to\s+subscribe\b"
)
SHARE: Final = re.compile(
    r"(?i)^(?:share|shares|tweet|pin\s+it|e-?mail|print|copy\s+link|whatsapp|follow\s+us|like\s+us)\b"
    # ... and the headers over a site's social links: "Stay connected:", "Follow The Gazette online:"
    r"|^(?:(?:stay\s+connected|connect\s+with\s+us)\s*:?|follow\s+(?:\S+\s+){0,3}(?:online|on\s+social(?:\s+media)?)\s*:)$"
    # ... and what a share button says once pressed: "Link Copied!", "URL is copied.", "Copied to clipboard"
    r"|^(?:(?:link|url)\s+(?:is\s+|has\s+been\s+)?copied|copied)(?:\s+to\s+(?:the\s+|your\s+)?clipboard)?[.!]*$"
)
ADVERT: Final = re.compile(
    r"(?i)^(?:advertisements?|advertising|sponsored|ad|ads|promoted|paid\s+content|partner\s+content"
    r"|(?:story|article)\s+continues(?:\s+below)?|continue\s+reading|scroll\s+to\s+continue"
    r"|read\s+more|read\s+full|click\s+here|load\s+more|show\s+more|see\s+more|view\s+more)\b"
)
COMMENTS: Final = re.compile(
    r"(?i)^(?:\d+\s+(?:comments?|replies|responses)$|comments?\b|leave\s+a\s+(?:comment|reply)"
    r"|post\s+a\s+comment|join\s+the\s+(?:discussion|conversation)|(?:view|show|hide)\s+(?:comments|(?:the\s+)?discussion(?:\s+thread)?)"
    r"|(?:blog\s+)?comments\s+powered\s+by)"
)
#: What a comment box or a feedback link says besides its header (see :data:`COMMENTS`): "You must
#: be logged in to post a comment.", "No comments yet", "Have your say", "Tell us what you think...".
COMMENT_PROMPT: Final = re.compile(
    r"(?i)^(?:(?:you\s+must\s+(?:be\s+)?(?:logged\s+in|log\s+in|signed\s+in|sign\s+in|registered)\s+to\s+"
    r"(?:post|leave|add|write)\s+(?:a\s+)?(?:comment|reply)|no\s+comments(?:\s+yet)?|be\s+the\s+first\s+to\s+comment)[.!…]*"
    r"|(?:have\s+your\s+say|give\s+us\s+(?:your\s+)?feedback|tell\s+us\s+what\s+you\s+think|send\s+(?:us\s+)?feedback)\b.{0,60}"
    r"|thanks?\s+(?:you\s+)?for\s+your\s+feedback[.!…]*)$"
)
#: How a page tells the reader to reach its author (an e-mail address or a handle always follows):
#: "Write to Jane Doe at jane.doe@example.com", "Jane Doe may be reached at ...", "Follow her on
#: Twitter @janedoe", "... let us know at: tips@example.com".
AUTHOR_CONTACT: Final = re.compile(
    r"(?i)^(?:e-?mail|write\s+to|contact|reach)\s+(?:the\s+)?(?:(?:reporter|writer|author|editor)\s+)?"
    r"(?:[\w'’.-]+\s+){1,4}(?:at|via|on)\s+[\w.+-]+@"
    r"|\b(?:may|can)\s+be\s+(?:reached|contacted|e-?mailed)\s+(?:at|via|on)\s+[\w.+-]+@"
    r"|\bfollow\s+(?:him|her|them|me)\s+(?:on\s+(?:twitter|x|instagram|facebook|threads|bluesky|linkedin|mastodon)\b.{0,20})?@\w"
    r"|\blet\s+us\s+know\s+(?:at|via)\s*:?\s*[\w.+-]+@"
)
#: The lines of a comment form, as blog engines print them (WordPress above all): its notices and
#: buttons, and its fields marked as required ("Name *", "Nombre (*):").
COMMENT_FORM: Final = re.compile(
    r"(?i)^(?:save\s+my\s+name,?\s+e-?mail,?\s+and\s+website\s+in\s+this\s+browser\b.*"
    r"|your\s+e-?mail\s+address\s+will\s+not\s+be\s+published\b.*"
    r"|notify\s+me\s+of\s+(?:follow-?up\s+comments|new\s+(?:posts|comments|replies))\b.*"
    r"|notify\s+me\s+(?:via|by)\s+e-?mail\s+(?:if|when)\s+(?:anyone|someone)\s+(?:answers|replies)\b.*"
    r"|this\s+site\s+uses\s+akismet\s+to\s+reduce\s+spam\b.*"
    r"|(?:post|submit|add)\s+(?:a\s+|your\s+)?comment[.!]?"
    r"|(?:name|e-?mail(?:\s+address)?|website|comment|nombre|correo(?:\s+electr[oó]nico)?|comentario|nome|sito\s+web"
    r"|nom|courriel|kommentar)\s*(?:\(\*\)|\*)\s*:?)$"
)
#: The words a :data:`COMMENT_FORM` line can start with (see :data:`_CATEGORY_FIRST`).
_FORM_FIRST: Final = frozenset(
    "save your notify this post submit add name e email website comment nombre correo comentario nome sito nom courriel "
    "kommentar".split()
)
#: A photo gallery's or a pager's counter: "Image 5 of 5", "Slide 2/9", "Foto 3 de 12", "4 of 10".
COUNTER: Final = re.compile(
    r"(?i)^(?:(?:image|photo|picture|slide|gallery|page|foto|imagen|imagem|bild|seite|pagina|página)\s+"
    r"\d{1,3}\s*(?:of|/|de|di|von|sur|из)\s*\d{1,3}|\d{1,3}\s+(?:of|de|di|von|sur|из)\s+\d{1,3})$"
)
#: The credit a site's footer gives its software: "Powered by WordPress", "Blog at WordPress.com.",
#: "Theme by Jane Doe".
SITE_CREDIT: Final = re.compile(
    r"(?i)^(?:(?:proudly\s+)?powered\s+by\s+[\w.-]+(?:\s+[\w.-]+)?\.?"
    r"|(?:create\s+a\s+free\s+website\s+or\s+)?blog\s+(?:at|di|en|em|auf|sur)\s+wordpress\.com\.?(?:\s+.{0,40})?"
    r"|(?:wordpress\s+)?theme\s+by\s+[\w.-]+(?:\s+[\w.-]+){0,3}\.?|wordpress\s+theme\s*:\s*[\w.-]+(?:\s+[\w.-]+){0,3}\.?)$"
)
#: What a page shows a reader whose browser runs no scripts.
JAVASCRIPT: Final = re.compile(
    r"(?i)\b(?:turn\s+on|enable|activate|allow)\s+javascript\b|\bjavascript\s+(?:is\s+)?(?:disabled|required|must\s+be"
    r"\s+enabled|is\s+(?:turned\s+)?off)|\brequires?\s+javascript\b|\bjavascript\s+to\s+(?:view|see|use|display)"
)
#: Lines that are just one of the links every site carries.
SITE_LINKS: Final = frozenset(
    """
    home|menu|close|open menu|toggle navigation|main menu|navigation|contact|contact us|about|about us
    legal|legal notice|privacy|privacy policy|privacy notice|terms|terms of use|terms of service
    terms and conditions|cookie policy|cookies|accessibility|careers|jobs|advertise|advertise with us
    sitemap|site map|imprint|impressum|help|faq|faqs|rss|rss feed|newsletter|newsletters|subscribe
    login|log in|sign in|sign up|register|logout|my account|account|profile|share|tweet|email|e-mail
    print|comments|facebook|twitter|x|instagram|linkedin|youtube|pinterest|whatsapp|reddit|telegram
    tiktok|flipboard|more|previous|next|previous article|next article|back to top|top|edit|reply
    skip|go|submit|ok|cancel|loading|trending|popular|latest|video|videos|photos|gallery|podcasts
    all rights reserved|copy link|link copied|follow us|about the author|editorial standards
    """.replace("\n", "|").split("|")
) - {""}

#: Search boxes and their leftovers.
WIDGET: Final = re.compile(
    r"(?i)^(?:no\s+results?(?:\s+found)?|view\s+all\s+results?|search(?:\s+\S+)?|search\s+(?:for|the|this)\s+site"
    r"|type\s+and\s+hit\s+enter.*|press\s+enter\s+to\s+search.*|start\s+typing.*|what\s+are\s+you\s+looking\s+for\??"
    r"|search\s+for\s*:?|close\s+search|clear\s+search|enter\s+(?:your\s+)?(?:keywords?|search\s+terms?).*)$"
)
#: What a widget shows while its content loads: "Loading...", "Team list is loading...", "Carregando…".
LOADING: Final = re.compile(
    r"(?i)^(?:(?:[\w']+\s+){0,4}(?:is\s+)?(?:loading|memuat|carregando|cargando|chargement|caricamento|wird\s+geladen)"
    r"\s*(?:\.{2,}|…|,?\s*please\s+wait.*)|loading|please\s+wait.*)$"
)
SKIP_LINK: Final = re.compile(r"(?i)^(?:skip|jump)\s+to\s+(?:the\s+)?(?:main\s+)?(?:content|navigation|main|menu|footer|search)")
#: Separators of a one-line navigation bar or breadcrumb.
NAV_SEPARATOR: Final = re.compile(r"\s+[|»>/·•›:]\s+|\s*[|»›]\s*")
#: Words without which no paragraph-shaped line is furniture; one scan spares the detailed patterns.
PROSE_TRIGGER: Final = re.compile(
    r"(?i)cookie|©|\(c\)|copyright|rights\s+reserved|newsletter|subscri|sign\s*up|picture|photo|image|credit"
    r"|disclos|disclaim|generated|artificial\s+intelligence|\bai\b"
)
#: Separators that only breadcrumbs use, enough to call a two-item line navigation.
BREADCRUMB: Final = re.compile(r"\s[»›>]\s")
#: Headers that introduce a block of links to other stories.
RELATED_HEADER: Final = re.compile(
    r"(?i)^(?:related|more\s+(?:from|on|in|about|stories|news|articles|to\s+read|like\s+this)|trending|"
    r"read\s+(?:also|more|next)|also\s+read|see\s+also|you\s+(?:may|might)\s+(?:also\s+)?(?:like|enjoy|be\s+interested)"
    r"|recommended|most\s+(?:popular|read|viewed|shared)|popular|latest|top\s+stories|must\s+read"
    r"|editor'?s?’?s?\s+picks?|in\s+case\s+you\s+missed|what\s+to\s+read\s+next|don'?t\s+miss|up\s+next"
    r"|recent\s+(?:posts|articles|stories|news)|story\s+timeline|other\s+stories|further\s+reading"
    # ... and the same headers in the languages crawls meet most
    r"|voc[eê]\s+(?:tamb[eé]m\s+)?pode\s+gostar|veja\s+tamb[eé]m|leia\s+(?:tamb[eé]m|mais)"
    r"|(?:not[ií]cias|artigos|posts|art[ií]culos|noticias|entradas)\s+relacionad[oa]s|relacionad[oa]s"
    r"|(?:tambi[eé]n\s+)?te\s+puede\s+interesar|lee\s+tambi[eé]n|m[aá]s\s+noticias"
    r"|(?:[àa]\s+)?lire\s+aussi|voir\s+aussi|sur\s+le\s+m[eê]me\s+sujet|articles\s+similaires"
    r"|das\s+k[oö]nnte\s+sie\s+auch\s+interessieren|mehr\s+zum\s+thema|weitere\s+artikel|[äa]hnliche\s+artikel"
    r"|leggi\s+anche|(?:ti\s+)?potrebbe\s+interessarti|articoli\s+correlati|baca\s+juga|(?:artikel|berita)\s+terkait"
    r"|читайте\s+также|смотрите\s+также|похожие\s+(?:статьи|новости)|по\s+теме"
    r"|関連記事|関連ニュース|相关(?:阅读|文章|新闻)|推荐阅读|관련\s?기사"
    f"|{_HINDI_READ_ALSO}"
    r"|संबंधित\s+(?:खबरें|ख़बरें|खबर|ख़बर|लेख)|ข่าวที่เกี่ยวข้อง|ข่าวแนะนำ|อ่านเพิ่มเติม|tin\s+liên\s+quan|xem\s+thêm"
    r"|đọc\s+thêm|ilgili\s+haberler|benzer\s+haberler|czytaj\s+(?:także|też)|zobacz\s+(?:także|też)|lees\s+ook"
    r"|gerelateerde\s+artikelen|اقرأ\s+أيضا|اقرأ\s+أيضًا|مواضيع\s+ذات\s+صلة|أخبار\s+ذات\s+صلة)"
    # Not \b: a header may end in a combining mark (Hindi "पढ़ें"), after which \b needs a letter.
    r"(?!\w)"
)
DISCLAIMER: Final = re.compile(
    r"(?i)^(?:ai\s+disclosure|ai\s+disclaimer|disclaimer|affiliate\s+disclosure|editorial\s+disclosure"
    r"|ai[- ]generated\s+content)\s*[:：\-–—]"
    r"|\b(?:this\s+(?:article|content|post|story|summary)\s+(?:was|is|has\s+been)\s+(?:\w+\s+){0,2}"
    r"(?:generated|written|created|produced|drafted)\s+(?:\w+\s+){0,2}(?:with|by|using)\s+(?:the\s+)?"
    r"(?:help\s+of\s+|assistance\s+of\s+|aid\s+of\s+)?(?:an?\s+)?(?:ai|artificial\s+intelligence)\b)"
    # ... and the advice disclaimer of finance and health pages: "This article is for informational
    # purposes only and does not constitute investment advice."
    r"|\bfor\s+(?:general\s+)?informational\s+purposes\s+only\b.{0,120}\badvice\b"
    r"|\bdoes\s+not\s+constitute\s+(?:\w+\s+){0,3}advice\b"
)
CITATION_PAREN: Final = re.compile(r"\((?:[A-Z][A-Za-z&.]+\s?){1,3}\)\s*$")


# ---------------------------------------------------------------------------------------------
# The page a rule reads.


def _drop_counts_py(word_sets: list[frozenset[str]], shared: set[str], df: dict[str, int]) -> tuple[list[str], int]:
    """The page's word counts lowered in place for the content words of dropped lines (see
    :meth:`Page.drop`): ``df[w]`` falls by one for each set holding ``w``, a word of ``shared``.
    Returns the words whose count fell to one (in no particular order) and the number of words
    of the sets not in ``shared``. The stand-in of ``drop_counts`` in ``_native.c``."""
    fell: list[str] = []
    gone = 0
    for words in word_sets:
        common = words & shared
        gone += len(words) - len(common)
        for w in common:
            n = df[w] - 1
            df[w] = n
            if n == 1:
                fell.append(w)
    return fell, gone


#: :func:`_drop_counts_py`, in C where the C module is built.
_drop_counts: Final[Callable[[list[frozenset[str]], set[str], dict[str, int]], tuple[list[str], int]]] = (
    native("drop_counts") or _drop_counts_py
)


class Page:
    """The lines still standing, in input order, and what derives from them (computed on demand).

    ``df`` counts, for each content word (see :attr:`Line.words`) held by two lines or more, the
    lines holding it; ``shared`` holds the same words. Most words of a page are held by one line,
    and no rule asks how many lines hold a word beyond whether it is two or more. ``distinct`` is
    the number of distinct content words on the page. :meth:`drop` keeps all three in step with
    ``lines``, so that no rule has to rebuild them. Only content words count: the page's coherence
    is made of nothing else.
    """

    __slots__ = ("_article_vocab", "_body", "_coherence", "_extended_extra", "_extended_vocab", "_headline", "_main_block", "_paragraphs",
                 "_typical_coherence", "_vocab_memo", "df", "distinct", "headline_shares", "lines", "shared", "title")

    def __init__(
        self,
        lines: list[Line],
        df: dict[str, int],
        coherence: dict[Line, float] | None = None,
        vocab_memo: tuple[Line, Line, int, frozenset[str]] | None = None,
        shared: set[str] | None = None,
        title: tuple[Line | None, frozenset[str]] | None = None,
        distinct: int = -1,
    ) -> None:
        self.lines = lines
        self.df = df
        self.distinct = len(frozenset().union(*(ln.words for ln in lines))) if distinct < 0 else distinct
        #: The page's first line and its content words when it can be the page's title (see
        #: :func:`page_title`): fixed when the page is first built, kept as lines go.
        self.title = page_title(lines) if title is None else title
        #: The words held by two lines or more (``df[w] > 1``; most words of a page are held by one),
        #: kept in step with ``df`` like it: counts only fall, so the set only shrinks (see :meth:`drop`).
        self.shared = {w for w, n in df.items() if n > 1} if shared is None else shared
        #: The last :attr:`article_vocab` computed on this page or an earlier state of it, by its
        #: block's first and last line and length: lines only go, so those three fix the block.
        self._vocab_memo = vocab_memo
        #: Coherence by line (not position: it survives the removal of other lines, see :meth:`without`).
        self._coherence: dict[Line, float] = {} if coherence is None else coherence
        #: Content words the headline shares with the article (set with :attr:`headline`).
        self.headline_shares = 0
        # The zones, computed on first use (None until then); :meth:`_carry_zones` may hand them
        # over from the page this one was derived from.
        self._headline: int | None = None
        self._main_block: tuple[int, int] | None = None
        self._paragraphs: list[int] | None = None
        self._article_vocab: frozenset[str] | None = None
        self._extended_extra: frozenset[str] | None = None
        self._extended_vocab: frozenset[str] | None = None
        self._typical_coherence: float | None = None
        self._body: tuple[int, int] | None = None

    def drop(self, order: list[int]) -> Page:
        """The page without the lines at ``order`` (positions, ascending).

        ``df`` and ``shared`` are updated in place, and shared with the new page: a word that falls
        to one line or none leaves both. Only the dropped lines' shared words are counted down; their
        other words were on the dropped line alone, and no line holds them any more.
        """
        lines, df, shared = self.lines, self.df, self.shared
        # fell: the words now on one line or none (they all passed through one); gone: the words
        # that were on a dropped line alone.
        fell, gone = _drop_counts([lines[i].words for i in order], shared, df)
        distinct = self.distinct - gone
        # A line's coherence only changes if one of its words is now on no other line: these.
        held: set[str] = set()
        for w in fell:
            if df.pop(w):
                held.add(w)
            else:
                distinct -= 1
        shared.difference_update(fell)
        kept: list[Line] = []
        start = 0
        for i in order:
            if i > start:  # runs of dropped lines (a menu, a block of links) leave nothing between
                kept += lines[start:i]
            start = i + 1
        kept += lines[start:]
        return self.without(kept, held, order, distinct)

    def without(self, lines: list[Line], held: set[str], dropped: Sequence[int], distinct: int) -> Page:
        """The page after some lines went (see :meth:`drop`): ``lines`` remain, ``df`` and ``shared``
        are already updated, and ``held`` are the words that went from two lines or more to one.
        Coherences not involving them carry over.

        ``dropped`` are the positions (on this page, ascending) of the lines that went. When they all
        stand below the last paragraph, or all above the first, and no paragraph's coherence changed,
        the zones this page computed hold for the new page too (see :meth:`_carry_zones`).
        """
        # A word held by no line any more touches no line's coherence: only those still held by
        # one line do (most words of a dropped line were its own, and no line holds them now).
        coherence = self._coherence
        kept = {ln: c for ln, c in coherence.items() if ln.words.isdisjoint(held)} if held else coherence
        page = Page(lines, self.df, kept, self._vocab_memo, self.shared, self.title, distinct)
        if dropped:
            self._carry_zones(page, held, dropped)
        return page

    def _carry_zones(self, page: Page, rare: set[str], dropped: Sequence[int]) -> None:
        """Hand the zones computed on this page to ``page`` (this page without the lines at ``dropped``)
        where the removal provably leaves them as they are.

        The zones read the paragraphs (their ranks, words and coherence), the bullets and the number
        of lines dropped between paragraphs, the lines of the main block and, for the headline, the
        lines above the body. Lines dropped below the last paragraph touch none of these, so every
        zone carries over at the same positions; lines dropped above the first paragraph touch only
        the headline, so the other zones carry over shifted. Either way, only if no paragraph's
        coherence changed (``rare`` misses their words).
        """
        paragraphs = self._paragraphs
        if not paragraphs:
            return
        lines = self.lines
        if rare and not all(lines[i].words.isdisjoint(rare) for i in paragraphs):
            return
        no_body = (len(page.lines), -1)
        body = self._body
        if dropped[0] > paragraphs[-1]:
            page._paragraphs = paragraphs
            page._main_block = self._main_block
            page._article_vocab = self._article_vocab
            page._extended_extra = self._extended_extra
            page._extended_vocab = self._extended_vocab
            page._typical_coherence = self._typical_coherence
            if body is not None:
                page._body = no_body if body[1] < 0 else body
                # Without a body the headline is looked for down to the page's end, dropped lines included.
                if self._headline is not None and body[1] >= 0:
                    page._headline = self._headline
                    page.headline_shares = self.headline_shares
        elif dropped[-1] < paragraphs[0]:
            k = len(dropped)
            page._paragraphs = [i - k for i in paragraphs]
            page._article_vocab = self._article_vocab
            page._extended_extra = self._extended_extra
            page._extended_vocab = self._extended_vocab
            page._typical_coherence = self._typical_coherence
            if self._main_block is not None:
                first, last = self._main_block
                page._main_block = (first - k, last - k)
            if body is not None:
                first, last = body
                page._body = no_body if last < 0 else (first - k, last - k)

    @property
    def headline(self) -> int:
        value = self._headline
        if value is None:
            value = self._headline = self._compute_headline()
        return value

    def _compute_headline(self) -> int:
        """Position of the headline (-1 if none).

        Above the body, the line of three words or more that shares most content words with the
        article (a masthead, a search box or a section label above the headline shares none); the
        first such line when none shares any, or when the page has no body.
        """
        lines = self.lines
        first = next((i for i, ln in enumerate(lines) if ln.n_words >= 3), -1)
        if first < 0 or not self.paragraphs:
            return first
        shares = [
            (i, self._held_by_article(i))
            for i in range(first, min(self.body_start, len(lines)))
            if lines[i].n_words >= 3 and not lines[i].paragraph
        ]
        most = max((n for _, n in shares), default=0)
        if not most:
            return first
        # The first line sharing a fair part of the most: a standfirst under the headline may share more.
        best, self.headline_shares = next((i, n) for i, n in shares if n * 2 >= most and n >= min(2, most))
        return best

    def _held_by_article(self, pos: int) -> int:
        """``len(lines[pos].words & self.article_vocab)``, without building the vocabulary.

        Only the headline asks this on most pages, of a few lines above the body, and the main
        block's vocabulary (some 300 words, rebuilt after every rule that drops a line) cost more
        than the question. A line inside the main block holds only words of it. A line outside
        holds a word of the block only if another line holds it too: only its words in
        :attr:`shared` are looked up, line by line of the block.
        """
        first, last = self.main_block
        words = self.lines[pos].words
        if first <= pos <= last:
            return len(words)
        vocab = self._article_vocab
        if vocab is not None:
            return len(words & vocab)
        lines = self.lines
        held = 0
        for w in words & self.shared:
            for k in range(first, last + 1):
                if w in lines[k].words:
                    held += 1
                    break
        return held

    def coherence(self, pos: int) -> float:
        """The share of the line's content words found in other lines (1.0 for lines without any)."""
        ln = self.lines[pos]
        value = self._coherence.get(ln)
        if value is None:
            words = ln.words
            # The words with df > 1: a set intersection rather than a count over df.
            value = len(words & self.shared) / len(words) if words else 1.0
            self._coherence[ln] = value
        return value

    @property
    def main_block(self) -> tuple[int, int]:
        value = self._main_block
        if value is None:
            value = self._main_block = self._compute_main_block()
        return value

    def _compute_main_block(self) -> tuple[int, int]:
        """Span (first, last position) of the article: the weightiest run of close paragraphs.

        A block weighs the words of its paragraphs times their coherence with the page, so an
        article that keeps returning to its subject outweighs a longer list of unrelated teasers.
        When the page starts with its title (see :func:`page_title`), a block weighs more the more
        of the title's words it holds (up to :data:`TITLE_WEIGHT` + 1 times): a list of teasers,
        each coherent with its own headline, can outweigh the article, but not the article's
        claim to the title.

        Paragraphs belong to one block while fewer than :data:`BLOCK_GAP` input lines (kept or
        already dropped) separate them; teaser lists and comment threads below an article are
        cut off from it by the menus and headers between them (list items standing between
        paragraphs do not count). ``(0, -1)`` without paragraphs.
        """
        lines = self.lines
        # (start, last, coherent words, words) of each block
        blocks: list[tuple[int, int, float, int]] = []
        start = last = -1
        coherent, words = 0.0, 0
        items = 0  # list items since the last paragraph: a list inside the article does not split it
        for i, ln in enumerate(lines):
            if not ln.paragraph:
                items += ln.bullet
                continue
            if last >= 0 and ln.rank - lines[last].rank - 1 - items >= BLOCK_GAP:
                blocks.append((start, last, coherent, words))
                start, coherent, words = -1, 0.0, 0
            if start < 0:
                start = i
            last = i
            items = 0
            coherent += ln.n_words * self.coherence(i)
            words += ln.n_words
        if last < 0:
            return (0, -1)
        blocks.append((start, last, coherent, words))
        title_line, title_words = self.title
        # (coherent words, words): a page whose paragraphs share nothing (a one-paragraph story)
        # still has its longest block as the article.
        best = (0, -1)
        best_weight = (0.0, 0.0)
        for first, end, coherent, words in blocks:
            boost = 1.0
            if title_words and len(blocks) > 1:
                held: set[str] = set()
                for k in range(first, end + 1):
                    ln = lines[k]
                    if ln.paragraph and ln is not title_line:
                        held |= title_words & ln.words
                boost += TITLE_WEIGHT * len(held) / len(title_words)
            weight = (coherent * boost, words * boost)
            if weight > best_weight:
                best, best_weight = (first, end), weight
        return best

    @property
    def paragraphs(self) -> list[int]:
        value = self._paragraphs
        if value is None:
            value = self._paragraphs = self._compute_paragraphs()
        return value

    def _compute_paragraphs(self) -> list[int]:
        """Positions of the paragraph-shaped lines."""
        return [i for i, ln in enumerate(self.lines) if ln.paragraph]

    @property
    def article_vocab(self) -> frozenset[str]:
        value = self._article_vocab
        if value is None:
            value = self._article_vocab = self._compute_article_vocab()
        return value

    def _compute_article_vocab(self) -> frozenset[str]:
        """The content words of the main block."""
        first, last = self.main_block
        if last < first:
            return frozenset()
        block = self.lines[first : last + 1]
        memo = self._vocab_memo
        if memo is not None and memo[0] is block[0] and memo[1] is block[-1] and memo[2] == len(block):
            return memo[3]
        vocab = frozenset().union(*[ln.words for ln in block])
        self._vocab_memo = (block[0], block[-1], len(block), vocab)
        return vocab

    @property
    def extended_vocab(self) -> frozenset[str]:
        """The article's vocabulary with that of its other parts (see :attr:`extended_extra`)."""
        value = self._extended_vocab
        if value is None:
            extra = self.extended_extra
            value = self._extended_vocab = self.article_vocab | extra if extra else self.article_vocab
        return value

    @property
    def extended_extra(self) -> frozenset[str]:
        value = self._extended_extra
        if value is None:
            value = self._extended_extra = self._compute_extended_extra()
        return value

    def _compute_extended_extra(self) -> frozenset[str]:
        """The content words of the article's other parts: of every block of paragraphs outside the
        main block that shares, all its paragraphs together, :data:`OUTSIDE_MIN_SHARE` of its words
        with the main block (empty if none does: then the article is the main block).

        A widget inserted into an article two or three times ("Most Popular", a gallery) cuts it
        into blocks; the main block is then only one part of it, and a later part, judged by that
        part's words alone, can look foreign. A list of teasers about other stories shares too
        little with the article to join. The shares are counted without the main block's
        vocabulary (:meth:`_held_by_article`).
        """
        paragraphs = self.paragraphs
        first, last = self.main_block
        lines = self.lines
        extra: set[str] = set()
        block: list[int] = []
        for k in range(len(paragraphs) + 1):
            i = paragraphs[k] if k < len(paragraphs) else -1
            if i >= 0 and not first <= i <= last and (not block or not self._splits(block[-1], i)):
                block.append(i)
                continue
            if block and self._shares_enough(block):  # the block ends: it joins when it shares enough
                for j in block:
                    extra |= lines[j].words
            block = [i] if i >= 0 and not first <= i <= last else []
        return frozenset(extra)

    def outside_share(self, pos: int) -> float:
        """For a line outside the main block, the share of its content words used in the article
        (:attr:`extended_vocab`); 1.0 inside it or without content words."""
        first, last = self.main_block
        words = self.lines[pos].words
        if first <= pos <= last or not words:
            return 1.0
        if not self.extended_extra:  # the article is the main block
            return self._held_by_article(pos) / len(words)
        return len(words & self.extended_vocab) / len(words)

    def foreign(self, pos: int) -> bool:
        """Whether the line's vocabulary is foreign to the article (enough words to judge).

        Inside the main block a line must share almost nothing with the rest of the page; outside
        it (teasers, comments, footers) it must share enough with the article itself.
        """
        ln = self.lines[pos]
        if ln.n_words < OFFTOPIC_MIN_WORDS or len(ln.words) < OFFTOPIC_MIN_WORDS or is_cited(ln):
            return False
        first, last = self.main_block
        if first <= pos <= last:
            # A line speaking of what the page's title speaks of is the article's, however little
            # of its vocabulary the rest of the page repeats (a paywalled story's only paragraph).
            return self.coherence(pos) < min(OFFTOPIC_MAX_SHARE, self.typical_coherence / 4) and not self._on_title(ln)
        # The main block's words are a part of the article's (:attr:`extended_vocab`): a line sharing
        # enough of them is the article's, and the rest of the article need not be gathered. Where
        # the article is the main block, that share is :meth:`outside_share`.
        held = self._held_by_article(pos)
        if held >= OUTSIDE_MIN_SHARE * len(ln.words):
            return False
        share = self.outside_share(pos) if self.extended_extra else held / len(ln.words)
        if share >= OUTSIDE_MIN_SHARE:
            return False
        # A paragraph that shares some of its words stays when its block shares enough.
        return share < OUTSIDE_MIN_SHARE / 2 or not ln.paragraph or not self._block_shares(pos)

    def _on_title(self, ln: Line) -> bool:
        """Whether the line holds a fair part of the page title's content words (see :func:`page_title`)."""
        title_line, title_words = self.title
        if ln is title_line or not title_words:
            return False
        shared = len(ln.words & title_words)
        return shared >= TITLE_MIN_WORDS and shared * 5 >= len(title_words)

    def _block_shares(self, pos: int) -> bool:
        """Whether the block of paragraphs holding the paragraph at ``pos`` (outside the main block)
        shares, all its paragraphs together, a fair part of its words with the article: an article
        cut in two by a block of links keeps its second part, whose paragraphs are each judged with
        the words of the others."""
        paragraphs = self.paragraphs
        k = paragraphs.index(pos)
        first = last = k
        while first > 0 and not self._splits(paragraphs[first - 1], paragraphs[first]):
            first -= 1
        while last + 1 < len(paragraphs) and not self._splits(paragraphs[last], paragraphs[last + 1]):
            last += 1
        if first == last:
            return False
        return self._shares_enough(paragraphs[first : last + 1])

    def _shares_enough(self, block: list[int]) -> bool:
        """Whether the paragraphs at ``block``, all together, share :data:`OUTSIDE_MIN_SHARE` of
        their words with the main block."""
        lines = self.lines
        shared = words = 0
        for i in block:
            shared += self._held_by_article(i)
            words += len(lines[i].words)
        return bool(words) and shared >= OUTSIDE_MIN_SHARE * words

    def _splits(self, a: int, b: int) -> bool:
        """Whether paragraphs ``a < b`` stand in different blocks (see :meth:`_compute_main_block`)."""
        lines = self.lines
        items = sum(1 for ln in lines[a + 1 : b] if ln.bullet)
        return lines[b].rank - lines[a].rank - 1 - items >= BLOCK_GAP

    @property
    def typical_coherence(self) -> float:
        value = self._typical_coherence
        if value is None:
            value = self._typical_coherence = self._compute_typical_coherence()
        return value

    def _compute_typical_coherence(self) -> float:
        """Median coherence of the page's paragraphs: how much a line of this page usually shares.

        Short or loosely written pages share little everywhere; a line is only foreign when it
        shares far less than is usual for the page.
        """
        values = sorted(self.coherence(i) for i in self.paragraphs if self.lines[i].words)
        return values[len(values) // 2] if values else 0.0

    @property
    def body(self) -> tuple[int, int]:
        value = self._body
        if value is None:
            value = self._body = self._compute_body()
        return value

    def _compute_body(self) -> tuple[int, int]:
        """First and last position of the article body: the main block and the paragraphs close to it.

        From the main block the body grows over paragraphs fewer than :data:`BODY_GAP` input lines
        apart (list items not counted), so an article broken by a list, a subheading or an ad stays
        whole while teasers and comments further down, behind menus and headers, stay outside. A
        paragraph foreign to the article (see :meth:`foreign`) does not open or close the body, so
        a stray blurb at the very top or teasers at the bottom stay outside it.
        ``(len(lines), -1)`` when the page has no body paragraph.
        """
        paragraphs = self.paragraphs
        if not paragraphs:
            return len(self.lines), -1
        lines = self.lines
        first, last = self.main_block
        k = paragraphs.index(first)
        while k > 0 and self._gap(paragraphs[k - 1], first) < BODY_GAP:
            k -= 1
            first = paragraphs[k]
        k = paragraphs.index(last)
        while k + 1 < len(paragraphs) and self._gap(last, paragraphs[k + 1]) < BODY_GAP:
            k += 1
            last = paragraphs[k]
        # The first and last paragraph of the span that are not foreign (searched from either end).
        span = [i for i in paragraphs if first <= i <= last]
        start = next((i for i in span if not self.foreign(i)), -1)
        if start < 0:
            return len(lines), -1
        return start, next(i for i in reversed(span) if not self.foreign(i))

    def _gap(self, a: int, b: int) -> int:
        """Input lines dropped between positions ``a < b``: what still stands between (a list, a
        table, a subheading) is part of the page's flow, what went was furniture."""
        lines = self.lines
        return lines[b].rank - lines[a].rank - (b - a)

    @property
    def body_start(self) -> int:
        return self.body[0]

    @property
    def body_end(self) -> int:
        return self.body[1]

    def protected(self, pos: int) -> bool:
        """Lines no contextual rule may drop: the headline and agency-cited paragraphs."""
        return pos == self.headline or is_cited(self.lines[pos])

    def in_body(self, pos: int) -> bool:
        return self.body_start <= pos <= self.body_end


#: How much more a block holding all of the page title's words weighs (see :attr:`Page.main_block`).
TITLE_WEIGHT: Final = 3.0
#: Content words a first line needs to be taken for the page's title.
TITLE_MIN_WORDS: Final = 3
#: Words a page title has at most.
TITLE_MAX_WORDS: Final = 30


def page_title(lines: list[Line]) -> tuple[Line | None, frozenset[str]]:
    """The first line and its content words, if it can be the page's ``<title>``: a scraper that
    keeps a page's text puts its title first (the headline, often with the site's name).
    ``(None, frozenset())`` if it cannot."""
    if lines:
        first = lines[0]
        if TITLE_MIN_WORDS <= first.n_words <= TITLE_MAX_WORDS and len(first.words) >= TITLE_MIN_WORDS:
            if not _facts(first)[1]:  # a cookie banner or a byline on top is no title
                return first, first.words
    return None, frozenset()


def is_cited(line: Line) -> bool:
    """A paragraph that ends in a source citation such as "(Reuters)"."""
    return line.n_words >= 8 and line.text[-1] == ")" and CITATION_PAREN.search(line.text) is not None


def _is_disclaimer(ln: Line) -> bool:
    return ln.n_words <= 120 and _disclaims(ln)


Verdicts = dict[int, str]
Rule = Callable[[Page], Verdicts]


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# ---------------------------------------------------------------------------------------------
# Rules, in the order the driver applies them.


def symbol_line(page: Page) -> Verdicts:
    """Lines with no letters at all: separators, stray punctuation, lone counters (", , ,", "0").

    A bare clock time ("09:48") is left to :func:`page_furniture`: in a live blog it heads an entry.
    """
    return {
        i: "no letters, only symbols or digits"
        for i, ln in enumerate(page.lines)
        if not ln.has_word or not _has_letter(ln) and not _is_clock(ln.text)
    }


def _has_letter(ln: Line) -> bool:
    """Whether the line holds a letter (computed once per text: a method call a character, up to the
    first letter, on every line of every page before)."""
    value = ln.t.has_letter
    if value is None:
        value = ln.t.has_letter = any(c.isalpha() for c in ln.text)
    return value


#: The elements a scraper leaves as text when it keeps a page's ``<noscript>`` or embed code.
_HTML_ELEMENTS: Final = (
    "a|abbr|amp-img|amp-pixel|article|aside|audio|b|base|body|br|button|canvas|div|embed|figure|font|footer|form|"
    "h[1-6]|head|header|hr|html|i|iframe|img|input|ins|label|li|link|meta|nav|noscript|object|ol|option|p|param|"
    "picture|script|section|select|source|span|strong|style|svg|table|tbody|td|th|tr|track|ul|video"
)
#: A line of nothing but HTML tags (and the code of a script or style element): leftover markup.
#: Text in angle brackets that names no element ("<The Palace: Tale of Jang Noksu>", a title as
#: Korean and Chinese pages write it) is not markup.
MARKUP: Final = re.compile(
    rf"(?is)^(?:\s*(?:<(?:/?(?:{_HTML_ELEMENTS})\b[^<>]*|!--.*?--)>|<(script|style)\b[^>]*>.*?</\1\s*>))+\s*$"
)


def markup_line(page: Page) -> Verdicts:
    """Lines of leftover HTML: ``<img src="..." height="1" width="1">``, ``<link href="..." rel="stylesheet">``."""
    return {
        i: "leftover HTML markup"
        for i, ln in enumerate(page.lines)
        if ln.text[0] == "<" and ln.text[-1] == ">" and MARKUP.match(ln.text) is not None
    }


#: A bare clock time on a line of its own.
CLOCK: Final = re.compile(r"^(?:[01]?\d|2[0-3]):[0-5]\d$")
#: Bare clock times the article body needs to be taken for a live blog, whose entries they head.
LIVE_BLOG_MIN_TIMES: Final = 3


def _is_clock(text: str) -> bool:
    """The line is a bare clock time (:data:`CLOCK`); the length and ":" tests spare most lines the pattern."""
    return len(text) <= 5 and ":" in text and CLOCK.match(text) is not None


def search_widget(page: Page) -> Verdicts:
    """Search boxes and skip links: "No Result", "View All Result", "Type and hit enter", "Skip to content"."""
    out: Verdicts = {}
    for i, ln in enumerate(page.lines):
        if ln.n_words <= 8:
            kind = ln.t.widget
            if kind is None:  # context-free: computed once per text
                kind = ln.t.widget = _widget_kind(ln)
            if kind:
                out[i] = kind
    return out


def _widget_kind(ln: Line) -> str:
    text = ln.text
    # Both patterns start with one of a few words, followed by a space or the line's end (see
    # _first_word for the lines where the first token cannot tell).
    first = _first_word(ln)
    if (not first or first in _SKIP_FIRST) and SKIP_LINK.match(text):
        return "skip link"
    if (not first or first in _WIDGET_FIRST) and WIDGET.match(text):
        return "search widget"
    # The pattern needs one of its words; on a line of plain case its lower-cased text holds it.
    if (not _plain_case_line(ln) or _has_any(ln.low, _LOADING_WORDS)) and LOADING.match(text):
        return "loading indicator"
    return ""


#: The first words (lower-cased) a match of :data:`SKIP_LINK` or of :data:`WIDGET` starts with.
_SKIP_FIRST: Final = frozenset(("skip", "jump"))
_WIDGET_FIRST: Final = frozenset("no view search type press start what close clear enter".split())

#: A word :data:`LOADING` cannot match without (lower-cased).
_LOADING_WORDS: Final = ("loading", "memuat", "carregando", "cargando", "chargement", "caricamento", "geladen", "wait")


#: What joins a headline and the site's name in a page title: "Headline - Site", "Headline | Site".
#: Written ``\s\s*`` for ``\s+``: a pattern whose first item is one character class lets the regex
#: engine skip to where a match can start, where ``\s+`` is tried at every character.
TITLE_SEPARATOR: Final = re.compile(r"\s\s*[-|–—:·•»]\s+")
#: ... and where a bar joins them, with or without spaces ("見出し｜新聞", "Headline|Site"): what
#: ``\s+[-|–—:·•»]\s+|\s*[｜|]\s*`` finds, written to start with one character class (as above).
TITLE_BAR_SEPARATOR: Final = re.compile(r"[\s｜|](?:(?<=\s)\s*[-|–—:·•»]\s+|(?<=\s)\s*[｜|]\s*|(?<=[｜|])\s*)")


def title_line(page: Page) -> Verdicts:
    """The page's ``<title>`` on top of a scrape: "Headline - Site" where the headline is also a line below.

    The headline itself stays (the copy below is the page's own); only the title's copy goes. The
    first line standing is judged, not the first input line, so cleaning the output finds nothing.
    """
    lines = page.lines
    if not lines or lines[0].n_words < 4:
        return {}
    parts = lines[0].t.title_parts
    if parts is None:  # context-free: computed once per text
        parts = lines[0].t.title_parts = _title_parts(lines[0].text)
    if not parts:
        return {}
    for part in parts:
        key = part.casefold()
        # Compared line by line: most keys differ in length, and a set of them would hash them all.
        for k in range(1, len(lines)):
            if lines[k].key == key:
                return {0: f"page title: {part[:40]!r} is a line below, joined to the site's name"}
    return {}


def _title_parts(text: str) -> list[str]:
    """The parts of a line on either side of a :data:`TITLE_SEPARATOR` that could be a headline."""
    parts = []
    separator = TITLE_BAR_SEPARATOR if "|" in text or "｜" in text else TITLE_SEPARATOR
    for sep in separator.finditer(text):
        for part in (text[: sep.start()], text[sep.end() :]):
            # Three words or more: split no further than the third (a part can be most of a long line).
            if len(part.split(None, 2)) >= 3 or count_words(part) >= 3:
                parts.append(part)
    return parts


#: "Read more" links under teasers needed before the lines above them are taken for a list of teasers.
MIN_TEASER_LINKS: Final = 2
#: A bare "Read more" link, the whole line.
READ_MORE_LINK: Final = re.compile(r"(?i)^(?:read\s+more|continue\s+reading|read\s+the\s+full\s+(?:story|article))\W*$")


def teaser_list(page: Page) -> Verdicts:
    """Teasers of other stories below the article: the line above each bare "Read more" link, when
    several of them stand below the main block (one under the article's own lead is the article's).
    Runs before :func:`repeated_line`, which takes the links themselves for template."""
    lines = page.lines
    above = [
        i - 1
        for i, ln in enumerate(lines)
        if i > 0 and ln.n_words <= 5 and ln.low.startswith(("read", "continue")) and READ_MORE_LINK.match(ln.text)
    ]
    if len(above) < MIN_TEASER_LINKS:
        return {}
    end = page.main_block[1]
    teasers = [i for i in above if i > end and lines[i].n_words > 5 and not page.protected(i)]
    if len(teasers) < MIN_TEASER_LINKS:
        return {}
    return {i: f"teaser above a 'Read more' link, one of {len(teasers)} below the article" for i in teasers}


def repeated_line(page: Page) -> Verdicts:
    """Lines repeated on the page: every copy of a short one (template), the 2nd+ copy of a longer one,
    and a long line made of the page's own paragraphs run together (:func:`_run_together`)."""
    lines = page.lines
    keys = [ln.key for ln in lines]
    longest = 0
    for ln in lines:
        if len(ln.text) > longest:
            longest = len(ln.text)
    out: Verdicts = _run_together(page) if longest >= RUN_TOGETHER_MIN_CHARS else {}
    found = _repeat_counts(keys)
    if found is None:
        return out  # no line repeated
    counts, copies = found
    for i, ln in enumerate(lines):
        n = counts[i]
        if n < 2:
            continue
        if ln.n_words <= 6 and not ln.ends_sentence:
            out[i] = f"short line repeated {n} times on the page (template)"
        elif copies[i] > 1:
            out[i] = f"{_ordinal(copies[i])} copy of this line"
    return out


def _repeat_counts_py(keys: list[str]) -> tuple[list[int], list[int]] | None:
    """None if no two of ``keys`` are equal; else, for each key, how many keys equal it, and which
    of those it is (1 for the first). The stand-in of ``repeat_counts`` in ``_native.c``."""
    counts: dict[str, int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    if len(counts) == len(keys):
        return None
    seen: dict[str, int] = {}
    copies: list[int] = []
    for key in keys:
        copy = seen[key] = seen.get(key, 0) + 1
        copies.append(copy)
    return [counts[key] for key in keys], copies


#: :func:`_repeat_counts_py`, in C where the C module is built: the keys found by their characters
#: in a table of the call's own (a dict hashed each new line's key, a paragraph's few hundred
#: characters through SipHash, and its two lookups a line were most of this rule's cost).
_repeat_counts: Final[Callable[[list[str]], tuple[list[int], list[int]] | None]] = (
    native("repeat_counts") or _repeat_counts_py
)


#: A line this long may be the page's paragraphs run together (see :func:`_run_together`).
RUN_TOGETHER_MIN_CHARS: Final = 1000
#: ... when it holds at least this many of them, word for word.
RUN_TOGETHER_MIN_PARAGRAPHS: Final = 2


def _run_together(page: Page) -> Verdicts:
    """Long lines holding two or more of the page's other paragraphs word for word: the article run
    together into one line by the page's metadata (a JSON-LD ``articleBody`` or a description that a
    naive scraper keeps), a second copy of text the page already has, paragraph by paragraph."""
    lines = page.lines
    paragraphs = [ln.text for ln in lines if ln.paragraph]
    out: Verdicts = {}
    for i, ln in enumerate(lines):
        text = ln.text
        if len(text) < RUN_TOGETHER_MIN_CHARS:
            continue
        held = 0
        for other in paragraphs:
            if other is not text and len(other) < len(text) and other in text:
                held += 1
        if held >= RUN_TOGETHER_MIN_PARAGRAPHS:
            out[i] = f"the page's own paragraphs run together ({held} of them)"
    return out


def nav_bar(page: Page) -> Verdicts:
    """One-line menus and breadcrumbs: short items joined by |, », >, / or ·.

    Rows of a table look alike but come stacked, with the same number of cells and figures in
    them; those stay.
    """
    lines = page.lines
    cells = []
    for ln in lines:
        items = ln.t.nav_items
        if items is None:  # context-free: computed once per text, kept for later passes and pages
            items = ln.t.nav_items = _nav_items(ln)
        cells.append(items)
    out: Verdicts = {}
    for i, parts in enumerate(cells):
        if not parts:
            continue
        n = len(parts)
        stacked = (i > 0 and len(cells[i - 1]) == n) or (i + 1 < len(cells) and len(cells[i + 1]) == n)
        if stacked and any(any(c.isdigit() for c in p) for p in parts):
            continue
        if n >= 3 or BREADCRUMB.search(lines[i].text):
            out[i] = f"navigation bar of {n} short items"
    return out


#: What a line needs to hold for :data:`NAV_SEPARATOR` to split it.
_NAV_MARKS: Final = ("|", "»", "›", " > ", " / ", " · ", " • ", " : ")


#: The characters every match of :data:`NAV_SEPARATOR` holds one of.
_NAV_SEPARATOR_CHARS: Final = tuple("|»>/·•›:")


def _nav_items(ln: Line) -> list[str]:
    """The items of a line if it splits into two or more short items on nav separators, else []."""
    if ln.n_words > 30 or ln.ends_sentence or not _has_any(ln.text, _NAV_MARKS):
        return []
    if ln.t._ascii:
        # A separator holds no word character, so the items hold the line's words between them, at
        # most 4 each, and there are at most one more items than separator characters: a line with
        # more words than that is no menu, found without the split. (ASCII words only: elsewhere
        # n_words counts Chinese by pairs, where the pattern sees one word a run.)
        marks = 0
        for c in _NAV_SEPARATOR_CHARS:
            marks += ln.text.count(c)
        if ln.n_words > 4 * (marks + 1):
            return []
    parts = [p for p in NAV_SEPARATOR.split(ln.text) if p.strip()]
    if len(parts) >= 2 and all(len(WORD.findall(p)) <= 4 for p in parts):
        return parts
    return []


def menu_run(page: Page) -> Verdicts:
    """Menus: runs of three or more short items (bulleted or not), or a lone site link."""
    lines = page.lines
    # A line ending in ":" introduces what follows; it is never a menu item, nor is a bare time.
    item = [ln.short and not ln.text.endswith(":") and not _is_clock(ln.text) for ln in lines]
    out: Verdicts = {}
    i = 0
    while i < len(lines):
        if not item[i]:
            i += 1
            continue
        j = i
        while j < len(lines) and item[j]:
            j += 1
        run = j - i
        # A short list introduced by "...:" inside the article body is content, not a menu.
        intro = i > 0 and lines[i - 1].text.endswith(":") and page.in_body(i - 1)
        if run >= 3 and not intro:
            for k in range(i, j):
                out[k] = f"run of {run} short menu items"
        else:
            for k in range(i, j):
                if lines[k].key.strip(" .:!|»›>") in SITE_LINKS:
                    out[k] = "site link"
        i = j
    return out


def page_furniture(page: Page) -> Verdicts:
    """Bylines, timestamps, tags, photo credits, copyright, cookie, newsletter, share and ad lines."""
    out: Verdicts = {}
    lines = page.lines
    # The context-free facts of every line, computed once per text (see _furniture_facts).
    facts = [_facts(ln) for ln in lines]
    last = len(lines) - 1
    live: bool | None = None  # whether the body is a live blog's (computed if a bare time is met)
    for i, (cited, reason, site_row, figures) in enumerate(facts):
        if cited:
            continue
        if reason:
            if reason == "date line" and _is_clock(lines[i].text):
                if live is None:
                    live = _live_blog(page)
                if live and page.in_body(i):
                    continue  # the time of an entry
            out[i] = reason
            # The line under a photo credit is the photo's caption when it is caption-sized.
            nxt = i + 1
            if reason not in _HEADS_OF_NEXT or nxt > last or nxt == page.headline or facts[nxt][0]:
                continue
            if reason == "photo credit" and lines[nxt].n_words <= 15:
                out[nxt] = "photo caption under a credit line"
            elif reason == "advertisement or teaser link" and lines[nxt].n_words <= 60:
                # An ad slot's own content: a line right under the marker that is foreign to the page.
                limit = min(SPONSORED_MAX_SHARE, page.typical_coherence / 2)
                if lines[nxt].words and page.coherence(nxt) < limit:
                    out[nxt] = "sponsored item under an advertisement marker"
        elif site_row:
            out[i] = "row of site or share links"
        elif figures and not (i > 0 and facts[i - 1][3]) and not (i < last and facts[i + 1][3]):
            # A lone line of figures is a market or score ticker; stacked ones are a table and stay.
            out[i] = "figures ticker"
    return out


def _live_blog(page: Page) -> bool:
    """Whether :data:`LIVE_BLOG_MIN_TIMES` bare clock times stand inside the article body (a lone
    one there is more likely a video's length)."""
    first, last = page.body
    return sum(1 for ln in page.lines[first : last + 1] if _is_clock(ln.text)) >= LIVE_BLOG_MIN_TIMES


def _facts(ln: Line) -> tuple[bool, str | None, bool, bool]:
    """:func:`_furniture_facts` of the line, computed once per text and kept on it."""
    fact = ln.t.furniture
    if fact is None:
        fact = ln.t.furniture = _furniture_facts(ln)
    return fact


def _furniture_facts(ln: Line) -> tuple[bool, str | None, bool, bool]:
    """What :func:`page_furniture` needs to know of a line alone: whether it is cited, its kind of
    furniture, whether it is a row of site links, whether it is mostly figures."""
    cited = is_cited(ln)
    reason = None if cited else furniture_kind(ln)
    site_row = not cited and not reason and ln.n_words >= 2 and _site_link_row(ln)
    return cited, reason, site_row, _figures(ln)


#: Furniture that can condemn the line under it (a photo's caption, an ad's content).
_HEADS_OF_NEXT: Final = frozenset({"photo credit", "advertisement or teaser link"})


def _site_link_row(ln: Line) -> bool:
    """Every word of the line is a site or share link ("Facebook Twitter Email")."""
    return all(w in SITE_LINKS for w in ln.tokens)


def _figures(ln: Line) -> bool:
    """Mostly numbers and no sentence: a ticker or a table row."""
    if ln.n_words < 6 or ln.ends_sentence or "|" in ln.text:
        return False
    return sum(1 for w in ln.tokens if w[0].isdigit()) * 2 >= ln.n_words


def furniture_kind(ln: Line) -> str | None:
    """Which kind of page furniture a line is, if any.

    Each pattern runs only when the line holds a word the pattern needs (a substring test on the
    lower-cased line): most lines need none of them, and case-insensitive alternations are slow.
    """
    text = ln.text
    low = ln.low
    n = ln.n_words
    if n > 80:
        # Only a consent banner's long explanation of the site's cookies is furniture this long.
        return "cookie notice" if n <= 150 and "cookie" in low[:120] and _has_any(low, _SITE_SPEAKS) else None
    # A caption with its credit (a credit line alone is left to the credit and copyright tests).
    if n > 12 and _may_end_in_credit(text, low) and ENDING_CREDIT.search(text[-_CREDIT_TAIL:]) is not None:
        return "photo caption with credit"
    prose = ln.paragraph
    if prose and n <= 30 and low.endswith(_MERIDIEMS) and _dated_start(ln):
        # A timestamp or a dated byline ending in "a.m." reads as a sentence to LineText.
        if ln.tokens[0] == "by":
            if _dated_byline(ln):
                return "byline"
        elif n <= 16 and _date_line(ln):
            return "date line"
    if n <= 30 and _guards(ln) & _JAVASCRIPT_BIT and JAVASCRIPT.search(text) and _speaks_to_reader(ln):
        return "JavaScript notice"
    if n <= 40 and "@" in text and AUTHOR_CONTACT.search(text) is not None:
        return "author contact line"
    if n <= 40 and _guards(ln) & _CTRL_BIT and TYPO_REPORT.search(text) is not None:
        return "typo report prompt"
    first = _first_word(ln)
    if n <= 30 and (not first or first in _FORM_FIRST) and COMMENT_FORM.match(text):
        return "comment form"
    if prose and not _prose_trigger(ln) and not (n <= 30 and _may_forbid_copies(ln)):
        return None  # prose is only furniture when it names its kind; most prose never does
    if "cookie" in low and (
        COOKIE.search(text) and (n <= 60 and not prose or "cookie" in low[:120]) and _cookie_banner(ln)
        or prose and (n <= 60 or "cookie" in low[:120]) and _has_any(low, _SITE_SPEAKS)
    ):
        return "cookie notice"
    if n > 30:
        return None
    if "©" in low or "(c)" in low or "copyright" in low or "rights reserved" in low:
        # Prose may speak of copyright (an article on copyright law); a notice shows its mark.
        if any(not prose or m.group().casefold() != "copyright" for m in COPYRIGHT.finditer(text)):
            return "copyright line"
    if _may_forbid_copies(ln) and REPRODUCTION.search(text):
        return "copyright line"
    if (text[-1] == ")" or ":" in text) and _has_any(low, _CAPTION_WORDS) and CAPTION_CREDIT.search(text):
        return "photo caption with credit"
    if _disclaims(ln):
        return None  # the disclaimer rule owns these
    if (
        ("newsletter" in low or "sign" in low or "subscribe" in low or "inbox" in low or low.startswith(_ACCOUNT_STARTS))
        and NEWSLETTER.search(text)
        and (not prose or _newsletter_prose(ln))
    ):
        return "newsletter or account prompt"
    if prose:
        return None
    if n <= 12 and text[0] == "(" and text[-1] == ")":
        # "(Image credit: NASA)", "(Jane Doe / Associated Press)": under its photo's caption, so
        # unlike a credit line above a photo it condemns nothing under it.
        if _bracketed_credit(text[1:-1].strip()):
            return "photo credit in brackets"
    elif n <= 12 and (low.startswith(_CREDIT_STARTS) or _has_any(low, _AGENCY_MARKS)) and CREDIT.search(text):
        return "photo credit"
    starts = _STORY_LINK_BY_FIRST.get(low[:1])
    if n <= 25 and starts is not None and low.startswith(starts) and STORY_LINK.match(text):
        return "link to another story"
    if n <= 10 and ("by" in ln.tokens or ":" in text) and BYLINE.match(text):
        if title_ratio(text) >= 0.5 or STAFF_BYLINE.match(text):
            return "byline"
    elif n <= 30 and ln.tokens[:1] == ["by"] and _dated_byline(ln):
        return "byline"
    if n <= 6 and _has_any(low, _DESK_WORDS) and DESK_BYLINE.match(text):
        return "byline"
    if n <= 8 and ("min" in low or "listen" in low) and READING_TIME.match(text):
        return "reading time"
    if n <= 12 and ("comment" in low or "feedback" in low or "your say" in low or "tell us" in low) and (
        COMMENT_PROMPT.match(text)
    ):
        return "comment or feedback prompt"
    if n <= 14 and (not first or first in _CATEGORY_FIRST) and CATEGORY.match(text):
        return "category tags"
    if n <= 16 and not ln.bullet and _date_line(ln):  # a list item is content
        return "date line"
    if n <= 5 and text[-1].isdigit() and COUNTER.match(text):
        return "gallery or page counter"
    if n <= 12 and ("powered" in low or "wordpress" in low or "theme" in low) and SITE_CREDIT.match(text):
        return "site credit"
    if n <= 8:
        if (not first or first in _SHARE_FIRST) and SHARE.match(text):
            return "share buttons"
        if (not first or first in _ADVERT_FIRST) and ADVERT.match(text):
            return "advertisement or teaser link"
        label = ln.key.strip(_LABEL_MARKS) if n <= 4 and len(text) <= 40 else ""
        if n <= 3 and len(text) <= 24 and label in AD_LABELS:
            return "advertisement or teaser link"
        if (not first or first in _COMMENTS_FIRST or first[0].isdigit()) and COMMENTS.match(text):
            return "comments widget"
        if label:
            if label in COMMENT_LABELS or (label[:1].isdigit() and label.lstrip(_COUNT_CHARS) in COMMENT_LABELS):
                return "comments widget"
            if VIEW_COUNT.match(label):
                return "view count"
    return None


def _first_word(ln: Line) -> str:
    """The line's first word, when it rules out the patterns that start with one of a few words
    (see :data:`_CATEGORY_FIRST` and the sets below it); "" where it cannot: case-insensitive
    matching could take other letters for ASCII ones (see :func:`_plain_case`), or the word holds a
    combining mark or an underscore (not alphanumeric), where the patterns' ``\\b`` may end it
    sooner than :data:`~dedup.clean.lines.WORD` does ("share" + U+1071 starts with "share" to them).
    """
    first = ln.tokens[0] if ln.tokens else ""
    return first if first.isalnum() and _plain_case_line(ln) else ""


#: The words :data:`CATEGORY`, :data:`SHARE`, :data:`ADVERT` and :data:`COMMENTS` can start with
#: (lower-cased ``\\w+`` words; :data:`COMMENTS` also a number): a line starting with another word
#: matches none of them, which a set lookup tells faster than the case-insensitive patterns.
_CATEGORY_FIRST: Final = frozenset(
    "in filed posted category categories tag tags tagged topic topics label labels keyword keywords section "
    "sections more".split()
)
_SHARE_FIRST: Final = frozenset("share shares tweet pin e email print copy whatsapp follow like link url copied stay connect".split())
_ADVERT_FIRST: Final = frozenset(
    "advertisement advertisements advertising sponsored ad ads promoted paid partner story article continue "
    "scroll read click load show see view".split()
)
_COMMENTS_FIRST: Final = frozenset("comment comments leave post join view show hide blog".split())


# The words the furniture and disclaimer tests of a new line ask for, and their table, are imported
# from dedup.clean.lines (whose tokenising finds the bits of the word needles among them): a paragraph
# must hold one of _PROSE_WORDS to be furniture (see PROSE_TRIGGER), _PROSE_WORDS_PLAIN are the
# alternatives of that pattern but "\\bai\\b" as substrings of a normalised, lower-cased line,
# _may_forbid_copies looks for _COPY_WORDS and _may_disclaim for _DISCLAIM_WORDS.


def _guard_bits(words: tuple[str, ...]) -> int:
    """The bits of ``words`` in the answer of :func:`_guards`."""
    return sum(1 << _GUARD_WORDS.index(w) for w in words)


_PROSE_BITS: Final = _guard_bits(_PROSE_WORDS)
_PROSE_PLAIN_BITS: Final = _guard_bits(_PROSE_WORDS_PLAIN)
_JAVASCRIPT_BIT: Final = _guard_bits(("javascript",))
_CTRL_BIT: Final = _guard_bits(("ctrl",))
_COPY_BITS: Final = _guard_bits(_COPY_WORDS)
_DISCLAIM_BITS: Final = _guard_bits(_DISCLAIM_WORDS)
#: How a site's cookie banner speaks of itself and its reader (an article about cookies rarely does).
_SITE_SPEAKS: Final = (
    "this website", "our website", "the website", "this site", "our site", "your browser", "your device",
    "your consent", "you consent", "your experience", "you agree",
)
#: Words with which a cookie banner addresses its reader, and the buttons it starts with.
_READER_WORDS: Final = frozenset({"we", "our", "us", "you", "your"})
_BANNER_BUTTONS: Final = ("accept", "allow", "agree", "manage", "reject", "decline", "customi", "ok")


def _guards(ln: Line) -> int:
    """Which of :data:`_GUARD_WORDS` the line's lower-cased text holds, as bits (computed once per
    text), where each test searched the text for its own words before: from the bits of the word
    needles its tokens hold, found as they were read, and a search for the few other needles (see
    :func:`~dedup.clean.lines.guards`); one pass over the text for a line not read as ASCII words."""
    t = ln.t
    found = t.guards
    if found < 0:
        found = t.guards = which_in(t.low, _GUARDS, t.word_guards)
    return found


def _may_forbid_copies(ln: Line) -> bool:
    """Whether the lower-cased line holds a word :data:`REPRODUCTION` needs (see :data:`_COPY_WORDS`)."""
    return _guards(ln) & _COPY_BITS != 0


def _addresses_reader(ln: Line) -> bool:
    """The line says "you" or "we" (see :data:`_READER_WORDS`)."""
    return not _READER_WORDS.isdisjoint(ln.tokens)


def _speaks_to_reader(ln: Line) -> bool:
    """The line addresses the reader ("you", "we", "please", an imperative): a site's notice, not
    a sentence of a story about the same thing."""
    return _addresses_reader(ln) or ln.low.startswith(_NOTICE_STARTS)


#: How a site's notices to the reader start.
_NOTICE_STARTS: Final = ("please", "enable", "turn on", "activate", "javascript", "this site", "this page")


def _newsletter_prose(ln: Line) -> bool:
    """A sentence-shaped line matching :data:`NEWSLETTER` that is the site's prompt, not news about
    subscriptions: it names the newsletter, starts with the call to subscribe, or speaks to the
    reader ("you are now subscribed", "sign up for our daily email")."""
    n = ln.n_words
    if n > 30:
        return False
    low = ln.low
    return n <= 20 and "newsletter" in low or low.startswith(("subscribe", "sign up")) or _addresses_reader(ln)


def _cookie_banner(ln: Line) -> bool:
    """A line about cookies that reads as the site's banner, not as news about cookies: a button
    or label of a few words, or a line that speaks to the reader or as the site."""
    return (
        ln.n_words <= 4
        or _addresses_reader(ln)
        or ln.low.startswith(_BANNER_BUTTONS)
        or _has_any(ln.low, _SITE_SPEAKS)
    )


_CAPTION_WORDS: Final = ("pictur", "photo", "image", "credit", "foto")
_ACCOUNT_STARTS: Final = ("log", "register", "join")
_CREDIT_STARTS: Final = ("photo", "image", "picture", "video", "illustration", "graphic", "file", "cover", "credit", "courtesy")
_AGENCY_MARKS: Final = ("/", "getty", "shutterstock", "ap photo", "epa-efe")
#: What a :data:`STORY_LINK` can start with (its lower-cased first characters; tested).
_STORY_LINK_STARTS: Final = (
    "read", "also", "see", "related", "more", "watch", "listen", "यह", "ये", "इसे", "और", "อ่าน", "lee", "leia", "veja",
    "lire", "à lire", "a lire", "voir", "lesen", "mehr", "leggi", "baca", "читайте", "смотрите", "関連", "相关", "延伸", "推荐",
    "xem", "đọc", "czytaj", "zobacz", "lees", "اقرأ",
)
#: The same, by their first character: one dict lookup rules out most lines, and ``startswith``
#: then tries a few prefixes instead of all of them.
_STORY_LINK_BY_FIRST: dict[str, tuple[str, ...]] = {}
for _start in _STORY_LINK_STARTS:
    _STORY_LINK_BY_FIRST[_start[0]] = (*_STORY_LINK_BY_FIRST.get(_start[0], ()), _start)
#: Words that can start a date or time (lower-cased ``\\w+`` words); words starting with a digit also can.
_DATE_WORDS: Final = frozenset(
    "jan january feb february mar march apr april may jun june jul july aug august sep sept september oct october "
    "nov november dec december today yesterday".split()
) | frozenset(
    d + s for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun") for s in ("", "day", "sday", "nesday", "rsday", "urday")
)


_DIGIT: Final = re.compile(r"\d")
#: The ASCII digits, each found by a fast ``in`` (the pattern tests every character).
_ASCII_DIGITS: Final = tuple("0123456789")


def _has_digit(text: str) -> bool:
    """``_DIGIT.search(text) is not None``, faster: an ASCII digit, or a digit of another script."""
    return _has_any(text, _ASCII_DIGITS) or not text.isascii() and _DIGIT.search(text) is not None


def _bracketed_credit(inner: str) -> bool:
    """Whether the inside of a bracketed line is a photo credit (see :data:`CREDIT`)."""
    low = lower(inner)
    return (low.startswith(_CREDIT_STARTS) or _has_any(low, _AGENCY_MARKS)) and CREDIT.search(inner) is not None


def _prose_trigger(ln: Line) -> bool:
    """A paragraph naming a kind of furniture (:data:`PROSE_TRIGGER` finds one in the line)."""
    if ln.t.ai:
        return True  # the pattern's "\\bai\\b"
    if _plain_case_line(ln):
        # The pattern, exactly, on a normalised line (single plain spaces, so "\\s+" is " ").
        return _guards(ln) & _PROSE_PLAIN_BITS != 0
    return _guards(ln) & _PROSE_BITS != 0 and PROSE_TRIGGER.search(ln.text) is not None


#: How a line matching the first branch of :data:`DISCLAIMER` starts (lower-cased).
_DISCLAIMER_STARTS: Final = ("ai", "disclaimer", "affiliate", "editorial")
#: What a line matching one of its other branches holds (lower-cased, single spaces).
_DISCLAIMER_SUBJECTS: Final = ("this article", "this content", "this post", "this story", "this summary",
                                "informational purposes", "not constitute")


def _disclaims(ln: Line) -> bool:
    """``_may_disclaim(ln) and DISCLAIMER.search(ln.text)`` (context-free: computed once per text)."""
    value = ln.t.disclaims
    if value is None:
        value = ln.t.disclaims = _find_disclaimer(ln)
    return value


def _find_disclaimer(ln: Line) -> bool:
    """:func:`_disclaims` computed: on a line :func:`_plain_case` accepts, the pattern can only match
    where the line starts or holds what it spells out, which is cheap to rule out first (the
    case-insensitive pattern is slow on long paragraphs)."""
    if not _may_disclaim(ln):
        return False
    if _plain_case_line(ln) and not (ln.low.startswith(_DISCLAIMER_STARTS) or _has_any(ln.low, _DISCLAIMER_SUBJECTS)):
        return False
    return DISCLAIMER.search(ln.text) is not None


def _may_disclaim(ln: Line) -> bool:
    """Whether the line says "ai" or holds one of :data:`_DISCLAIM_WORDS` (lower-cased)."""
    return ln.t.ai or _guards(ln) & _DISCLAIM_BITS != 0


def _date_line(ln: Line) -> bool:
    """Dates, times and their labels, and at most four other words: a timestamp line."""
    if not _may_hold_date(ln):
        return False
    # On an ASCII line the case-sensitive twins on the lower-cased line find the same spans, faster.
    parts, labels, subject = (
        (_DATE_PARTS_LOW, _DATE_LABELS_LOW, ln.low) if _plain_case_line(ln) else (DATE_PARTS, DATE_LABELS, ln.text)
    )
    if not parts.search(subject):
        return False
    return len(WORD.findall(labels.sub(" ", parts.sub(" ", subject)))) <= 4


def _dated_start(ln: Line) -> bool:
    """The line starts with "by", a date or a number (how bylines and timestamps start)."""
    first = ln.tokens[0] if ln.tokens else ""
    return first == "by" or first in _DATE_WORDS or first[:1].isdigit()


#: How a time of day ends ("11:04 a.m."): a line ending so need not be a sentence.
_MERIDIEMS: Final = ("a.m.", "p.m.")
#: Most words a dated byline keeps besides its date: a few names and a desk or section.
DATED_BYLINE_MAX_NAMES: Final = 6


def _dated_byline(ln: Line) -> bool:
    """A byline with its date and time: "By Jane Doe on Monday, November 18th, 2019 at 11:04 a.m.",
    "By HNN Staff | November 18, 2019 at 2:26 PM". Without its date it is a few capitalised names;
    a sentence starting "By Monday, ..." is not."""
    text = ln.text
    if not (_may_hold_date(ln) and BYLINE.match(text) and DATE_PARTS.search(text)):
        return False
    rest = DATE_LABELS.sub(" ", DATE_PARTS.sub(" ", text))
    return 1 <= len(WORD.findall(rest)) <= DATED_BYLINE_MAX_NAMES and title_ratio(rest) >= 0.5


def _may_hold_date(ln: Line) -> bool:
    return _has_digit(ln.low) or not _DATE_WORDS.isdisjoint(ln.tokens)


#: The header of one reader comment: "jdoe says:", "Jane Doe wrote:", "Reply", "Report abuse".
COMMENT_HEADER: Final = re.compile(
    r"(?i)^(?:.{1,40}\s(?:says|said|wrote|writes|commented|replied)\s*:|reply|report(?:\s+abuse)?|flag"
    r"|\d+\s+(?:likes?|points?|replies|votes?)|rating\s*:\s*-?\d+\s+votes?|(?:like|dislike)\s*\(?\d*\)?)$"
)
#: The last words (lower-cased) a match of :data:`COMMENT_HEADER` not ending in ":", a bracket or a
#: digit ends with.
_COMMENT_LAST: Final = frozenset("reply report abuse flag like likes dislike point points replies vote votes".split())
#: Comment headers needed before the end of the page is taken for a comment section.
MIN_COMMENTS: Final = 3
#: The heading a blog engine puts over the readers' comments on a post: "10 thoughts on “Title”",
#: "34 responses to “Title”" (WordPress's default). Alone, below the article, it opens the section.
THREAD_HEADING: Final = re.compile(
    r"(?i)^(?:\d+|one)\s+(?:thoughts?|responses?|replies|comments?)"
    r"\s+(?:on|to)\s+[\"“‘'«„]"
)
#: The second word of a :data:`THREAD_HEADING`.
_THREAD_NOUNS: Final = frozenset("thought thoughts response responses replies comment comments".split())


def _comment_header(ln: Line) -> bool:
    """The line matches :data:`COMMENT_HEADER` (context-free: computed once per text)."""
    value = ln.t.comment_header
    if value is None:
        text = ln.text
        # A match ends in ":", a bracket, a digit or one of a few words, each after a space or at
        # the line's start (on a line of plain case, its last token; see _plain_case).
        last = text[-1]
        value = ln.t.comment_header = (
            (last in ":()" or last.isdecimal() or not _plain_case_line(ln)
             or (bool(ln.tokens) and ln.tokens[-1] in _COMMENT_LAST))
            and COMMENT_HEADER.match(text) is not None
        )
    return value


def comment_section(page: Page) -> Verdicts:
    """Readers' comments: from the first of several comment headers ("jdoe says:") to the end, or
    from a comment thread's heading below the article ("10 thoughts on “Title”") to the end."""
    lines = page.lines
    headers = [i for i, ln in enumerate(lines) if ln.n_words <= 8 and _comment_header(ln)]
    headers = [i for i in headers if i > page.body_start]
    # Only on lines whose second word is one of the nouns a heading needs: the pattern is tried on
    # few lines.
    headings: list[tuple[int, re.Match[str]]] = []
    for i, ln in enumerate(lines):
        if len(ln.tokens) > 3 and ln.tokens[1] in _THREAD_NOUNS:
            match = THREAD_HEADING.match(ln.text)
            if match is not None:
                headings.append((i, match))
    heading = _thread_heading(page, headings) if headings else -1
    if len(headers) >= MIN_COMMENTS and (heading < 0 or headers[0] < heading):
        first = headers[0]
        why = f"comment section ({len(headers)} comment headers from line {lines[first].index + 1})"
    elif heading >= 0:
        first = heading
        why = f"comment section (under the thread heading on line {lines[first].index + 1})"
    else:
        return {}
    return {i: why for i in range(first, len(lines)) if not page.protected(i)}


def _thread_heading(page: Page, headings: list[tuple[int, re.Match[str]]]) -> int:
    """The first of the thread headings (position, :data:`THREAD_HEADING` match) that stands below
    the article's start: below the body's end, or inside it when the title it quotes is the page's
    headline (comments close to the article, on its subject, join its body); -1 if none."""
    start, end = page.body
    if end < 0:
        return -1
    for i, match in headings:
        if start < i and (i > end or _quotes_headline(page, page.lines[i].text[match.end() :])):
            return i
    return -1


def _quotes_headline(page: Page, quoted: str) -> bool:
    """Whether ``quoted`` is the headline: most of its content words are the headline's, and they
    are most of the headline's (a subheading quoting a phrase of the story is not)."""
    if page.headline < 0:
        return False
    words = content_words(quoted)
    headline = page.lines[page.headline].words
    shared = len(words & headline)
    return shared >= 2 and shared * 2 >= len(words) and shared * 2 >= len(headline)


def disclaimer(page: Page) -> Verdicts:
    """Disclaimers about how the page was made, e.g. an "AI Disclosure: ..." paragraph."""
    out: Verdicts = {}
    for i, ln in enumerate(page.lines):
        if _is_disclaimer(ln):  # a context-free rule: it runs once per page, nothing to keep
            out[i] = "disclaimer paragraph"
    return out


def _may_head(ln: Line) -> bool:
    """Not a sentence, as a header is: it may trail off ("You may also like...")."""
    return not ln.ends_sentence or ln.text.endswith(("...", "…"))


def _related_header(ln: Line) -> bool:
    """The line matches :data:`RELATED_HEADER` (context-free: computed once per text)."""
    value = ln.t.related_header
    if value is None:
        first = ln.tokens[0] if ln.tokens else ""
        if first.isascii() and first not in _RELATED_FIRST and _plain_case_line(ln):
            value = False  # no header starts so (see _RELATED_FIRST)
        else:
            value = RELATED_HEADER.match(ln.text) is not None
        ln.t.related_header = value
    return value


#: The first words (lower-cased ``\\w+``, ASCII) a match of :data:`RELATED_HEADER` can start with; a
#: line whose first word is another ASCII word is no header, and a set lookup says so faster than
#: the case-insensitive pattern. (A first word that is not ASCII always goes to the pattern.)
_RELATED_FIRST: Final = frozenset(
    """
    related more trending read also see you recommended most popular latest top must editor editors editorss in what
    don dont up recent story other further voce veja leia noticias artigos posts articulos entradas relacionados
    relacionadas tambien te lee mas a lire voir sur articles das mehr weitere ahnliche leggi ti potrebbe articoli
    baca artikel berita tin xem ilgili benzer czytaj zobacz lees gerelateerde
    """.split()
)


def related_headlines(page: Page) -> Verdicts:
    """Blocks of headlines of other stories: after a "Related"/"More from" header, or runs outside the body.

    A headline-like line between body paragraphs is a subheading and survives, and so do runs of
    them inside the body (lists, Q&As); only a "Related"-style header condemns lines there.
    """
    lines = page.lines
    out: Verdicts = {}
    i = 0
    while i < len(lines):
        ln = lines[i]
        if ln.n_words <= 8 and _may_head(ln) and _related_header(ln) and not page.protected(i):
            j = i + 1
            while j < len(lines) and lines[j].headline_like and not page.protected(j):
                j += 1
            out[i] = "header of a block of links to other stories"
            for k in range(i + 1, j):
                out[k] = f"one of {j - i - 1} headlines under {ln.text[:40]!r}"
            i = max(j, i + 1)
            continue
        if not ln.headline_like or page.protected(i):
            i += 1
            continue
        j = i
        while j < len(lines) and lines[j].headline_like and not page.protected(j):
            j += 1
        run = j - i
        # Inside the body a run of short unpunctuated lines is a list or a Q&A; above the body it
        # needs three (headline and dek make two), below it two.
        above = j <= page.body_start
        below = i > page.body_end
        if (above and run >= 3) or (below and run >= 2):
            where = "above" if above else "below"
            for k in range(i, j):
                out[k] = f"run of {run} headline-like lines {where} the article body"
        i = j
    return out


def above_headline(page: Page) -> Verdicts:
    """Above the headline only page chrome stands: mastheads, search boxes, section labels.

    Applies when the headline was recognised by the words it shares with the article (see
    :attr:`Page.headline`); paragraphs there are left to the other rules.
    """
    head = page.headline
    if head <= 0 or not page.headline_shares:
        return {}
    return {
        i: "above the headline (masthead, search box or section label)"
        for i, ln in enumerate(page.lines[:head])
        if not ln.paragraph and not is_cited(ln)
    }


def top_fragment(page: Page) -> Verdicts:
    """One- or two-word fragments above the first body paragraph (category labels, counters)."""
    return {
        i: f"{ln.n_words}-word fragment above the article body"
        for i, ln in enumerate(page.lines[: page.body_start])
        if ln.n_words <= 2 and not ln.ends_sentence and not ln.text.endswith(":") and not page.protected(i)
    }


#: An author's bio: "Jane Doe is a staff writer at the Gazette covering ...", "Jane is the paper's
#: senior editor." (a name, then "is a/an/the" and a writer's trade within a few words).
AUTHOR_BIO: Final = re.compile(
    r"^(?:[A-Z][\w.'’-]+\s+){1,4}(?:is|was)\s+(?:a|an|the)\s+(?:[\w,.'’&-]+\s+){0,6}?"
    r"(?i:reporter|writer|editor|correspondent|journalist|columnist|contributor|producer|author|critic"
    r"|anchor|photographer|blogger|educator)s?\b"
)


def _may_be_bio(ln: Line) -> bool:
    """A capitalised line whose second to fifth word is "is" or "was" (what :data:`AUTHOR_BIO` needs)."""
    if not ln.text[0].isupper():
        return False
    head = ln.tokens[1:5]
    return "is" in head or "was" in head


def trailing_zone(page: Page) -> Verdicts:
    """Below the last body paragraph only sentences survive; labels and link text are footer, and
    so is the author's bio."""
    if page.body_end < 0:
        return {}
    out: Verdicts = {}
    for i in range(page.body_end + 1, len(page.lines)):
        ln = page.lines[i]
        if not ln.ends_sentence:
            if not page.protected(i):
                out[i] = "non-sentence line below the article's last paragraph"
        elif ln.n_words <= 80 and _may_be_bio(ln) and AUTHOR_BIO.match(ln.text):
            if not page.protected(i):
                out[i] = "author's bio below the article"
    return out


#: Minimum distinct content words for a line to be judged by :func:`offtopic`.
OFFTOPIC_MIN_WORDS: Final = 5
#: The line under an ad marker is the ad when it shares less than this with the page.
SPONSORED_MAX_SHARE: Final = 0.25
#: Paragraphs this many input lines apart belong to different blocks (article vs teasers).
BLOCK_GAP: Final = 4
#: Paragraphs this many input lines apart from the body's edge are detached from it.
BODY_GAP: Final = 6
#: Outside the article's block, a line must share this much of its vocabulary with the article.
OUTSIDE_MIN_SHARE: Final = 0.25
#: Minimum content words on the page for the judgement to mean anything.
OFFTOPIC_MIN_CONTEXT: Final = 40
#: Outside the body, a line cohering less than this with the page is about something else.
OFFTOPIC_MAX_SHARE: Final = 0.12
#: The headline is dropped only when it shares (almost) nothing with the page.
OFFTOPIC_MAX_SHARE_HEADLINE: Final = 0.12


def offtopic(page: Page) -> Verdicts:
    """Lines whose vocabulary does not cohere with the article.

    Inside the article's block, a line is judged against the rest of the page (one document-wide
    Counter of content words, kept by the driver) and only dropped when it shares almost nothing
    and stands at the block's edge (a recipe blurb above a politics story); a quote in the middle
    of the body may bring new words and stays. Outside the block (teasers for other stories,
    comment threads, footers) a line must share a fair part of its words with the article itself.
    """
    if page.distinct < OFFTOPIC_MIN_CONTEXT:  # too little context to judge
        return {}
    out: Verdicts = {}
    first, last = page.main_block
    for i, ln in enumerate(page.lines):
        if page.in_body(i) or not page.foreign(i):
            continue
        if i == page.headline and page.coherence(i) >= OFFTOPIC_MAX_SHARE_HEADLINE:
            continue
        if first <= i <= last:
            shared = len(ln.words & page.shared)
            out[i] = f"shares {shared} of {len(ln.words)} content words with the document"
        else:
            shared = round(page.outside_share(i) * len(ln.words))
            out[i] = f"outside the article; shares {shared} of {len(ln.words)} content words with it"
    return out


#: Rules that judge each line alone: a line they kept in one pass they keep in every later pass,
#: so the driver runs them once.
CONTEXT_FREE: Final[frozenset[str]] = frozenset({"symbol_line", "markup_line", "search_widget", "disclaimer"})

#: The rules the driver runs in a page's first pass only: the context-free ones, and
#: :func:`repeated_line`, whose context only shrinks as lines go. A line it kept was the only
#: copy of its text, or the first copy of a long one, and held fewer than two of the page's
#: paragraphs: a later pass has no more copies (lines only go, none comes back ahead of it) and no
#: more paragraphs, so the rule keeps it again.
FIRST_PASS_ONLY: Final[frozenset[str]] = CONTEXT_FREE | {"repeated_line"}

#: The rules in the order the driver applies them.
RULES: Final[tuple[Rule, ...]] = (
    symbol_line,
    markup_line,
    search_widget,
    title_line,
    teaser_list,
    repeated_line,
    nav_bar,
    menu_run,
    page_furniture,
    disclaimer,
    comment_section,
    related_headlines,
    above_headline,
    top_fragment,
    trailing_zone,
    offtopic,
)
