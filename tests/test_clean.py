"""The cleaner: the seed pages scored line by line, and each rule on its positives and negatives."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from scoring import score_pages

from dedup import CleanConfig
from dedup.clean import clean, clean_html, is_html, repair
from dedup.clean.lines import line_features

CLEAN_MODULE = importlib.import_module("dedup.clean")  # dedup.clean is also the name of the function
RULES = importlib.import_module("dedup.clean.rules")

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "fixtures" / "seeds"
SEEDS_EXPECTED = ROOT / "fixtures" / "seeds-expected"

# --- acceptance: the seeds --------------------------------------------------------------------


def test_seeds_are_cleaned_exactly() -> None:
    score = score_pages(SEEDS, SEEDS_EXPECTED)
    assert score.expected > 0
    assert (score.precision, score.recall, score.mojibake) == (1.0, 1.0, 0), score.report()


def test_seed_removals_name_their_rule() -> None:
    text = (SEEDS / "003_b926546d28130a5e.txt").read_text(encoding="utf-8")
    result = clean(text)
    rules = {r.rule for r in result.removed}
    assert {"repeated_line", "search_widget", "related_headlines", "page_furniture"} <= rules
    raw = text.splitlines()
    for removal in result.removed:
        assert raw[removal.line_no].strip(), "removals point at non-blank input lines"
        assert removal.evidence


def test_offtopic_seed_line_is_explained() -> None:
    result = clean((SEEDS / "002_a28f561e18b4e111.txt").read_text(encoding="utf-8"))
    (removal,) = result.removed
    assert removal.rule == "offtopic" and removal.line_no == 0
    assert "content words" in removal.evidence


# --- rules: positives and negatives -----------------------------------------------------------

BODY = [
    "The city council approved the new harbour bridge on Tuesday after a two-year planning dispute.",
    "Councillors voted 31 to 12 in favour of the bridge, which will link the fish quay to the old town.",
    "Opponents of the bridge said the council had underestimated its cost and the disruption to the quay.",
    "The council said construction of the bridge would start in the spring and take about eighteen months.",
    "Harbour businesses welcomed the vote, saying the bridge would bring more visitors to the quay.",
]


def page(*extra_top: str, bottom: tuple[str, ...] = (), middle: tuple[str, ...] = ()) -> str:
    body = BODY[:2] + list(middle) + BODY[2:]
    return "\n".join([*extra_top, "Council approves harbour bridge after long dispute", *body, *bottom])


def removed_rules(text: str) -> dict[str, str]:
    return {r.text: r.rule for r in clean(text).removed}


def test_clean_body_is_kept_untouched() -> None:
    text = page()
    assert clean(text).text == text
    assert clean(text).removed == ()


def test_the_article_run_together_into_one_line_goes() -> None:
    """A page's metadata can hold the article again as one line (a JSON-LD ``articleBody``): a
    second copy of paragraphs the page already has. It goes; the paragraphs stay."""
    run_together = " ".join(BODY * 3)
    assert len(run_together) >= 1000
    result = clean(page(bottom=(run_together,)))
    assert run_together not in result.lines
    assert all(paragraph in result.lines for paragraph in BODY)
    (removal,) = [r for r in result.removed if r.text == run_together]
    assert removal.rule == "repeated_line" and "run together" in removal.evidence


def test_a_long_paragraph_quoting_one_other_stays() -> None:
    quoting = ("The council's statement, read out at the start of the meeting, was short: " + BODY[0] + " "
               + "After that, members of the public were given three minutes each to speak, and " * 12).strip()
    assert len(quoting) >= 1000
    assert quoting in clean(page(bottom=(quoting,))).lines


def test_menu_run_and_repeated_template_lines() -> None:
    text = page("Home", "Local", "Sport", "Weather", "Business", bottom=("Newsletters", "Weather", "Business"))
    rules = removed_rules(text)
    assert rules["Home"] == "menu_run"
    assert rules["Weather"] == "repeated_line"
    assert clean(text).lines[0] == "Council approves harbour bridge after long dispute"


def test_nav_bar_and_breadcrumb_but_not_table_rows() -> None:
    table = ("Quarter | Revenue | Profit", "Q1 | $2.9bn | $0.6bn", "Q2 | $3.1bn | $0.7bn")
    text = page("Home | News | Sport | Contact", "News › Local", middle=table)
    rules = removed_rules(text)
    assert rules["Home | News | Sport | Contact"] == "nav_bar"
    assert rules["News › Local"] == "nav_bar"
    kept = clean(text).lines
    assert all(row in kept for row in table[1:])


@pytest.mark.parametrize(
    ("line", "evidence"),
    [
        ("By Jane Doe", "byline"),
        ("Updated: 3 hours ago", "date line"),
        ("July 29, 2025 10:31 am", "date line"),
        ("© 2025 Harbour Gazette. All rights reserved.", "copyright line"),
        ("Photo: John Smith/Getty Images", "photo credit"),
        ("Tags: bridge, council, harbour", "category tags"),
        ("We use cookies to improve your experience. By browsing you accept our cookie policy.", "cookie notice"),
        ("Sign up for our daily newsletter", "newsletter or account prompt"),
        ("Don't miss a story. Sign up for our morning email and get the harbour news first.", "newsletter or account prompt"),
        ("Get the Gazette's best stories delivered to your inbox", "newsletter or account prompt"),
        ("You are now subscribed. Thank you!", "newsletter or account prompt"),
        ("You must be logged in to post a comment.", "comment or feedback prompt"),
        ("Have your say. Give us feedback.", "comment or feedback prompt"),
        ("Tell us what YOU think...", "comment or feedback prompt"),
        ("No spam, we promise. You can unsubscribe at any time and we will never share your details.",
         "newsletter or account prompt"),
        ("Share this article", "share buttons"),
        ("ADVERTISEMENT", "advertisement or teaser link"),
        ("Facebook Twitter WhatsApp Email", "row of site or share links"),
        ("Read more: Another council row erupts over parking charges", "link to another story"),
        # Captions of any length that end in the photo's credit, as agencies and papers print it.
        ("Harbour master Ines Calder, left, and deputy mayor Tom Quayle inspect the new quay on the east side "
         "of the harbour, Tuesday, March 4, 2025, in Northport. (AP Photo/Jane Doe, File)", "photo caption with credit"),
        ("Crews lower the last span of the bridge into place over the river on Monday morning. "
         "(Jane Doe/The Northport Courier via AP)", "photo caption with credit"),
        ("Traders work on the floor of the exchange in Northport, March 3, 2025. REUTERS/Jane Doe",
         "photo caption with credit"),
        ("The old ferry terminal, which will close when the bridge opens next spring. Jane Doe / AP file",
         "photo caption with credit"),
        ("Commuters queue for the last ferry before the bridge opens to traffic next month. "
         "Photograph by Jane Doe/AFP/Getty Images", "photo caption with credit"),
        # Reading times in other languages, social-link headers, comment-subscription boxes.
        ("Tempo de leitura: 1 minuto", "reading time"),
        ("Lesezeit: 4 Min.", "reading time"),
        ("Temps de lecture : 3 min", "reading time"),
        ("Stay connected:", "share buttons"),
        ("Follow the Gazette online:", "share buttons"),
        ("Notify me via e-mail if anyone answers my comment.", "comment form"),
        # Credits in brackets on a line of their own, under the photo's caption.
        ("(Image credit: Northport Harbour Authority)", "photo credit in brackets"),
        ("(Jane Doe / Associated Press)", "photo credit in brackets"),
        ("(AP Photo/Jane Doe)", "photo credit in brackets"),
        ("(Getty Images)", "photo credit in brackets"),
        # Bylines and timestamps that end in "a.m." and so look like sentences, or run long.
        ("By Jane Doe and John Roe on Monday, March 3rd, 2025 at 11:04 a.m.", "byline"),
        ("By Jane Doe, John Roe 2025-03-03T22:05:36Z Harbour", "byline"),
        ("By Gazette Staff | March 3, 2025 at 2:26 PM - Updated March 3 at 4:46 PM", "byline"),
        ("Mar. 3, 2025 Updated: Mar. 4, 2025 1:35 a.m.", "date line"),
        # Copyright notices that read as sentences: a mark besides the bare word, or a ban on copying.
        ("Copyright © 2025 Harbour Gazette / Northport Media GmbH Alle Rechte vorbehalten.", "copyright line"),
        ("Copyright 2025 Northport Media, Inc. All rights reserved. This material may not be published, broadcast, "
         "rewritten, or redistributed.", "copyright line"),
        ("This material may not be published, broadcast, rewritten or redistributed.", "copyright line"),
        ("This document is subject to copyright. Apart from any fair dealing for the purpose of private study or "
         "research, no part may be reproduced without the written permission.", "copyright line"),
        # How to reach the author.
        ("Write to Jane Doe at jane.doe@example.com", "author contact line"),
        ("Have a tip? Jane Doe may be reached at jdoe@example.com. Follow her on Twitter @janedoe or on Facebook.",
         "author contact line"),
        ("Email John Roe at jroe@example.com or follow him @johnroe. Follow us on Twitter @Gazette.", "author contact line"),
        ("If you have a news tip, correction or comment, let us know at: community@example.com", "author contact line"),
    ],
)
def test_page_furniture(line: str, evidence: str) -> None:
    result = clean(page(middle=(line,)))
    assert line not in result.lines
    (removal,) = [r for r in result.removed if r.text == line]
    assert removal.rule == "page_furniture" and removal.evidence == evidence


@pytest.mark.parametrize(
    "line",
    [
        "By promising to pay for the bridge itself, the council avoided a costly public inquiry into the plans.",
        "The cookie jar was empty, the mayor joked, so the bridge had to be paid for with borrowed money instead.",
        "Copyright lawyers were not involved, but planning lawyers argued the bridge case for two full years.",
        "The copyright on the harbour photographs, the court ruled, belongs to the council and not to the builder.",
        "The plans may not be reproduced in full, the council said, but residents may read them at the town hall.",
        "Residents can email their comments to planning@northport.gov.uk until the end of the month, the council said.",
        "Fans can follow her on Instagram, where the singer posts photos of the harbour and the bridge every week.",
        "Anyone with information can contact police at the harbour station or call the tip line, officers said.",
        "What the bridge means for the quay",
        "Key points:",
        "By Monday, March 3, 2025, the council had spent £3 million on the bridge and its approach roads.",
        "March 3, 2025 was the day the first car crossed the bridge at 6 a.m.",
        "The council published the photos of the bridge on its website, where residents can see them (and comment).",
        "Shares in the builder rose 4% after the contract was signed, according to data from Reuters/Ipsos.",
        "More than two million people subscribed to the ferry operator's travel alerts in the first week.",
        "If you only need the ferry in summer, you can sign up for a seasonal pass at the harbour office.",
        "No comments from the mayor's office.",
        "Tell us what you think of the bridge, the council asked residents in a survey sent to every home.",
        "Follow the money online",
        "Staying connected to the mainland was the point of the bridge, the mayor said.",
    ],
)
def test_body_lines_that_look_like_furniture_survive(line: str) -> None:
    assert line in clean(page(middle=(line,))).lines


def test_related_headlines_after_a_header_and_below_the_body() -> None:
    related = ("Related", "Fishermen protest over new quota rules", "Ferry timetable changes from next month")
    text = page(bottom=related)
    rules = removed_rules(text)
    assert rules["Related"] == "related_headlines"
    assert rules["Fishermen protest over new quota rules"] == "related_headlines"
    unheaded = page(bottom=related[1:])
    assert clean(unheaded).lines == clean(page()).lines


def test_subheadings_and_lists_inside_the_body_survive() -> None:
    middle = ("What happens next", "Key points:", "• Work starts in spring", "• Tolls are ruled out", "• Cost is £40m")
    result = clean(page(middle=middle))
    for line in middle:
        assert line in result.lines


def test_headline_is_kept_above_bylines_and_dates() -> None:
    text = page("Skip to content", bottom=())
    text = text.replace(BODY[0], "By Jane Doe\nJuly 29, 2025\n" + BODY[0])
    result = clean(text)
    assert result.lines[0] == "Council approves harbour bridge after long dispute"
    assert "By Jane Doe" not in result.lines


def test_page_title_on_top_goes_and_the_headline_stays() -> None:
    title = "Council approves harbour bridge after long dispute - Harbour Gazette"
    result = clean(page(title))
    assert title not in result.lines
    assert result.lines[0] == "Council approves harbour bridge after long dispute"
    assert removed_rules(page(title))[title] == "title_line"
    assert clean(result.text).text == result.text


def test_masthead_and_search_box_above_the_headline() -> None:
    # The masthead has three words: the first such line is not taken for the headline.
    text = page("HARBOUR GAZETTE WEEKLY", "Find a story...")
    result = clean(text)
    assert result.lines[0] == "Council approves harbour bridge after long dispute"
    assert removed_rules(text)["HARBOUR GAZETTE WEEKLY"] == "above_headline"


def test_standfirst_under_the_headline_does_not_take_its_place() -> None:
    dek = "Councillors back the harbour bridge plan after two years of dispute over its cost"
    text = page().replace(BODY[0], dek + "\n" + BODY[0])
    assert clean(text).lines[:2] == ["Council approves harbour bridge after long dispute", dek]


@pytest.mark.parametrize(
    ("line", "evidence"),
    [("6 min read", "reading time"), ("Listen to this article", "reading time"), ("By the Gazette news team", "byline")],
)
def test_reading_time_and_desk_bylines(line: str, evidence: str) -> None:
    result = clean(page(middle=(line,)))
    (removal,) = [r for r in result.removed if r.text == line]
    assert removal.rule == "page_furniture" and removal.evidence == evidence


def test_numbered_results_inside_the_body_are_not_date_lines() -> None:
    results = ("Results", "1. Jane Doe (Kenya) 2:07:41", "2. Ann Roe (Ethiopia) 2:08:19", "3. Mia Poe (USA) 2:09:02")
    result = clean(page(middle=results))
    for line in results[1:]:
        assert line in result.lines


def test_teaser_headline_detached_below_the_article() -> None:
    below = (
        "Share this article",
        "Tags: bridge, council, harbour",
        "Facebook Twitter WhatsApp Email",
        "© 2025 Harbour Gazette. All rights reserved.",
        "Advertisement",
        "Sign up for our daily newsletter",
        "Harbour bridge opponents plan a new legal challenge",
        "Opponents of the harbour bridge said on Wednesday they would take the council to court over the cost.",
    )
    result = clean(page(bottom=below))
    assert "Harbour bridge opponents plan a new legal challenge" not in result.lines
    assert result.lines[: len(BODY) + 1] == clean(page()).lines


def test_teasers_above_read_more_links_below_the_article() -> None:
    # Each teaser is a sentence about the same town as the article, so only the links tell them apart.
    teasers = (
        "Ferry fares rise again",
        "The harbour ferry will cost more from April, the operator said, blaming fuel and the new bridge tolls.",
        "Read more",
        "Quay cafe wins award",
        "A cafe on the harbour quay has won the council's small business award for the second year running.",
        "Read more",
        "Bridge toll set at £2",
        "Drivers will pay £2 to cross the new harbour bridge, the council said, with discounts for residents.",
        "READ MORE",
    )
    furniture = ("Share this article", "Facebook Twitter WhatsApp Email", "Advertisement", "More from the Gazette")
    result = clean(page(bottom=(*furniture, *teasers)))
    assert result.lines == clean(page()).lines
    evidence = {r.text: (r.rule, r.evidence) for r in result.removed}
    assert evidence[teasers[1]] == ("teaser_list", "teaser above a 'Read more' link, one of 3 below the article")


def test_one_read_more_link_under_the_articles_own_lead_keeps_it() -> None:
    text = page(bottom=("Read more",))
    assert clean(text).lines == clean(page()).lines
    lead = BODY[-1]
    assert lead in clean(text).lines


@pytest.mark.parametrize("line", [":", "— : —", "• :", "…"])
def test_a_line_without_words_is_no_furniture_kind(line: str) -> None:
    # The byline and date tests read a line's first word; a line without one must not break them.
    assert RULES.furniture_kind(line_features(0, line)) is None


def test_the_authors_bio_below_the_article_goes_and_a_reporter_in_the_story_stays() -> None:
    # A bio shares little with the story, so it does not extend the article's body down to it.
    bio = "Jane Doe is a senior reporter for the Gazette. She previously covered crime and courts in Leeds and Manchester."
    result = clean(page(bottom=("Share this article", bio)))
    assert bio not in result.lines
    assert [(r.rule, r.evidence) for r in result.removed if r.text == bio] == [
        ("trailing_zone", "author's bio below the article")
    ]
    inside = "Tom Quayle is a former reporter who now chairs the residents' group that opposed the bridge."
    assert inside in clean(page(middle=(inside,))).lines


def test_symbol_only_lines_and_disclaimers() -> None:
    text = page(", , ,", bottom=("AI Disclosure: This article was drafted with the help of AI and checked by editors.",))
    rules = removed_rules(text)
    assert rules[", , ,"] == "symbol_line"
    assert rules["AI Disclosure: This article was drafted with the help of AI and checked by editors."] == "disclaimer"


@pytest.mark.parametrize("line", [
    "This article is for informational purposes only and does not constitute investment advice.",
    "The content is provided for general informational purposes only and is not medical advice.",
    "Nothing on this site is a recommendation, and past performance does not constitute financial advice.",
])
def test_advice_disclaimers_go(line: str) -> None:
    assert removed_rules(page(bottom=(line,)))[line] == "disclaimer"


def test_a_story_about_advice_stays() -> None:
    line = "The regulator said the bank's advice to savers had been poor and ordered it to pay back the fees it charged."
    assert line in clean(page(middle=(line,))).lines


@pytest.mark.parametrize(
    "line",
    [
        '<img height="1" width="1" style="display:none" src="https://pixel.example.com/p?c1=2&amp;c2=1574">',
        '<link href="https://static.example.com/icons.fallback.css" rel="stylesheet">',
        '<p style="position: absolute; top: -999em"><img src="https://stats.example.com/s?name=story.page" alt=""></p>',
        '<script type="text/javascript" src="https://player.example.com/embed.js"></script>',
        "<!-- ad slot 3 -->",
    ],
)
def test_leftover_markup_lines_go(line: str) -> None:
    result = clean(page(line, middle=(line,)))
    assert line not in result.lines
    assert {(r.rule, r.evidence) for r in result.removed if r.text == line} == {("markup_line", "leftover HTML markup")}


def test_text_in_angle_brackets_is_not_markup() -> None:
    # Korean and Chinese pages put titles of works in angle brackets; a tag names an HTML element.
    title = "<The Palace: Tale of Jang Noksu>"
    text = page(middle=(title, "Audiences who saw <The Palace: Tale of Jang Noksu> praised its singers.", "<b>Note</b>"))
    assert all(line in clean(text).lines for line in (title, "<b>Note</b>"))


def test_danda_and_myanmar_full_stops_end_sentences() -> None:
    # Hindi, Bengali and Burmese sentences end in their own full stops: such lines are paragraphs.
    for text in ("भारत ने आज नया उपग्रह सफलतापूर्वक प्रक्षेपित किया। वैज्ञानिकों ने इसे बड़ी उपलब्धि बताया।",
                 "အစိုးရ က ဒီနေ့ သတင်းထုတ်ပြန် ခဲ့ ပါတယ်။ အစည်းအဝေး ကို လာမယ့် လ မှာ ကျင်းပ မယ်။",
                 "የኢትዮጵያ መንግስት ዛሬ አዲስ ዕቅድ አስታወቀ።"):
        assert line_features(0, text).ends_sentence, text


def test_article_cut_by_a_block_of_links_keeps_its_second_part() -> None:
    # Below a "Most Popular" block the article goes on. Its paragraphs are judged with each other:
    # one that shares only 2 of its 11 content words with the article above stays, since its block
    # shares enough; a comment-form line sharing none goes.
    links = ("Most Popular", "Ferry fares to rise again in the new year", "Storm closes the coast road for a second day",
             "School league tables: how your area did", "New owner for the old cinema on the high street",
             "Pier festival returns after a five-year break", "Rail strike called off at the last minute")
    second = (
        "The council said the bridge would carry buses and cyclists as well as cars once it opens to traffic in the spring.",
        "Fishermen on the quay, who land most of the town's catch, worry that lorries will block their vans every "
        "morning at dawn.",
        "Councillors promised to review the bridge's opening hours with harbour businesses after the first year of traffic.",
    )
    form = "Save my name, email, and website in this browser for the next time I comment."
    result = clean(page(bottom=(*links, *second, form)))
    assert all(line in result.lines for line in second)
    assert form not in result.lines and links[1] not in result.lines


def test_a_paragraph_on_the_pages_title_is_not_off_topic() -> None:
    # A paywalled story: its only paragraph shares nothing with the rest of the page (the title and
    # headline lines already went as a masthead and a block of headlines), but it speaks of what the
    # page's title speaks of, which the page keeps from its first build.
    texts = [
        "Councillors approved the harbour bridge on Tuesday after a bitter two-year dispute over its cost.",
        "This story is for subscribers only, and a digital subscription unlocks every article on the site.",
        "Subscribers can read every article on the site, and a digital subscription is cheaper this month.",
        "A digital subscription gives subscribers every article on the site, including the archive.",
    ]
    lines = [line_features(i, text, i) for i, text in enumerate(texts)]
    df = CLEAN_MODULE._page_of(lines).df
    on_title = line_features(0, "Harbour bridge approved after two-year dispute over cost - Northport Gazette")
    elsewhere = line_features(0, "Northport Gazette - local news, sport and weather for the whole coast")
    for title, foreign in ((on_title, False), (elsewhere, True)):
        page = RULES.Page(lines, dict(df), title=(title, title.words))
        assert page.main_block == (0, 3) and page.coherence(0) == 0.0
        assert page.foreign(0) is foreign


def test_words_keep_their_combining_marks() -> None:
    # Python's \\w stops at a combining mark: Hindi, Bengali, Tamil or a decomposed "é" fell apart.
    assert line_features(0, "भारत सरकार ने आज नया उपग्रह प्रक्षेपित किया।").tokens == [
        "भारत", "सरकार", "ने", "आज", "नया", "उपग्रह", "प्रक्षेपित", "किया"]
    assert line_features(0, "Te\u0301cnicas de leitura").tokens == ["te\u0301cnicas", "de", "leitura"]
    assert line_features(0, "বাংলাদেশ সরকার").n_words == 2


def test_thai_is_read_like_chinese_and_japanese() -> None:
    # No spaces between words: letter triples (tone and vowel marks left out), a word per three
    # letters; a long line is prose although Thai writes no commas or full stops.
    assert line_features(0, "ข่าวไทย").tokens == ["ขาว", "าวไ", "วไท", "ไทย"]
    lead = ("ผู้สื่อข่าวได้รับแจ้งจากนายอำเภอว่าพบศพชายสองคนลอยอยู่ในแม่น้ำโขงใกล้ชายแดน "
            "เจ้าหน้าที่ตำรวจได้นำศพขึ้นจากน้ำและส่งไปตรวจดีเอ็นเอที่โรงพยาบาลในจังหวัด "
            "ญาติของผู้เสียชีวิตกล่าวว่าทั้งสองคนหายตัวไปตั้งแต่ต้นเดือนธันวาคมที่ผ่านมา")
    ln = line_features(0, lead)
    assert ln.n_words >= 25 and ln.paragraph


def test_offtopic_snippet_above_the_body() -> None:
    pancake = "The best fluffy pancakes recipe you will fall in love with, full of tips and tricks for breakfast."
    result = clean(pancake + "\n" + page())
    assert pancake not in result.lines
    assert any(r.rule == "offtopic" for r in result.removed)
    assert pancake in clean(pancake + "\n" + page(), CleanConfig(offtopic=False)).lines


def test_one_paragraph_story_is_kept() -> None:
    story = " ".join(BODY)  # nothing to cohere with: the lone paragraph is the article
    assert clean(story).text == story


def test_cited_paragraph_is_never_dropped() -> None:
    cited = "Ferry operators said they expected no disruption while the bridge was being built. (Reuters)"
    assert cited in clean(page(bottom=(cited,))).lines


def test_comment_section_is_dropped() -> None:
    comments = (
        "harbourfan says:",
        "About time, this bridge has been promised for decades.",
        "quayside_jo says:",
        "Another waste of money by the council.",
        "mike77 says:",
        "Great news for the quay.",
    )
    result = clean(page(bottom=comments))
    assert result.lines == clean(page()).lines


def test_comment_thread_under_its_heading_is_dropped() -> None:
    # A blog engine's thread: a heading, then name, date and comment, with no "says:" to count.
    thread = (
        "3 thoughts on “Council approves harbour bridge after long dispute”",
        "Gaye Harper",
        "August 8, 2025 at 3:17 pm",
        "At last the council has listened to the people who work on the quay every day of the year.",
        "Tom Collins",
        "August 8, 2025 at 7:21 pm",
        "I am not convinced the bridge will bring visitors, but I hope the councillors are right about it.",
        "Anita Sousa",
        "August 9, 2025 at 9:40 am",
        "The bridge is good news for the harbour businesses and for everyone who lives in the old town.",
    )
    result = clean(page(bottom=thread))
    assert result.lines == clean(page()).lines
    assert {r.rule for r in result.removed if r.text == thread[3]} == {"comment_section"}


def test_thread_heading_inside_the_article_is_a_subheading() -> None:
    middle = ("3 thoughts on “the bridge”", "Each councillor gave the meeting three reasons to build the bridge now.")
    assert all(line in clean(page(middle=middle)).lines for line in middle)


def test_output_is_normalised_and_blank_lines_dropped() -> None:
    result = clean("  Council\u00a0approves   harbour bridge after long dispute  \n\n\n" + "\n\n".join(BODY))
    assert result.lines[0] == "Council approves harbour bridge after long dispute"
    assert "" not in result.lines
    assert result.input_kind == "text"


def test_mojibake_is_repaired_and_reported() -> None:
    text = page(middle=("The mayorâ€™s office said the bridge was good news for the harbour and its quay.",))
    result = clean(text)
    assert "The mayor’s office said the bridge was good news for the harbour and its quay." in result.lines
    assert result.repairs and result.repairs[0].before != result.repairs[0].after


def test_empty_and_whitespace_input() -> None:
    assert clean("").text == ""
    assert clean(" \n\t\n").removed == ()


def test_explain_mentions_rules() -> None:
    explanation = clean(page("Home", "News", "Sport")).explain()
    assert "menu_run" in explanation


def test_repair_is_reexported() -> None:
    assert repair("caf\u00c3\u00a9") == "café"


# --- HTML -------------------------------------------------------------------------------------

HTML = (
    "<!DOCTYPE html><html><head><title>Council approves harbour bridge</title></head><body>"
    "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article><h1>Council approves harbour bridge</h1>"
    + "".join(f"<p>{p}</p>" for p in BODY)
    + "</article><footer>© 2025 Harbour Gazette</footer></body></html>"
)


def test_is_html() -> None:
    assert is_html(HTML)
    assert is_html("<html><body><p>x</p></body></html>")
    assert not is_html(page())
    assert not is_html("Use the <b> tag for bold, said the style guide, and </b> to end it.")


def test_clean_html_runs_trafilatura_then_the_rules() -> None:
    result = clean(HTML)
    assert result.input_kind == "html"
    assert result.lines[0] == "Council approves harbour bridge"
    for paragraph in BODY:
        assert paragraph in result.lines
    assert "Home" not in result.lines
    assert clean_html(HTML).text == result.text


def _html_page(*paragraphs: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in (*paragraphs, *BODY))
    return (f"<html><head><title>Council approves harbour bridge</title></head><body><article>"
            f"<h1>Council approves harbour bridge</h1>{body}</article></body></html>")


def test_mojibake_that_parsing_would_break_is_repaired_in_the_source() -> None:
    """The parser drops C1 controls and trafilatura turns no-break spaces into spaces: mojibake
    holding one ("â€\x9d" for a closing quote, "Â\xa0" for a no-break space) is undone before."""
    result = clean_html(_html_page("“We will build it,â€\x9d the mayor said on Monday.Â\xa0The vote was 7 to 2 in favour."))
    assert "“We will build it,” the mayor said on Monday. The vote was 7 to 2 in favour." in result.lines


def test_other_lines_of_the_source_are_repaired_as_text() -> None:
    """Only source lines with such a character are repaired before parsing: escaped markup stays
    text, and other mojibake is undone in the extracted text (and listed among the repairs)."""
    result = clean_html(_html_page("The mayorâ€™s office said the plans would be shown in the town hall in May."
                                   "\n", "Engineers wrote &lt;script&gt; tags in the bridge report, the council said."))
    assert "The mayor’s office said the plans would be shown in the town hall in May." in result.lines
    assert "Engineers wrote <script> tags in the bridge report, the council said." in result.lines
    assert [r.fix for r in result.repairs] == ["mojibake:cp1252"]


def test_the_title_is_the_one_trafilatura_s_metadata_gives() -> None:
    """html_to_text reads the title with the part of trafilatura's metadata extraction that finds
    it (the rest, dates and authors, is the slow part): the same title, whitespace aside, and the
    same article, on every HTML fixture."""
    import trafilatura

    html_module = importlib.import_module("dedup.clean.html")
    reader = html_module._title_reader()
    assert reader is not None, "this trafilatura lacks the title functions: html_to_text is on its slow path"
    load_html, read_title = reader
    pages = [HTML, *(path.read_text(encoding="utf-8") for path in sorted(ROOT.glob("fixtures/*/*.html")))]
    assert len(pages) >= 4
    for page_html in pages:
        full = trafilatura.bare_extraction(page_html, include_comments=False, include_tables=True, favor_recall=True,
                                           with_metadata=True, deduplicate=False)
        assert " ".join((read_title(load_html(page_html)) or "").split()) == " ".join((full.title or "").split())
        lines = [ln.strip() for ln in full.text.split("\n") if ln.strip()]
        assert html_module.html_to_text(page_html).split("\n")[-len(lines):] == lines


def test_html_can_be_forced_off() -> None:
    assert clean(HTML, CleanConfig(html=False)).input_kind == "text"


# --- the memo of prepared lines ----------------------------------------------------------------


def _fixture_pages() -> list[str]:
    return [p.read_text(encoding="utf-8") for folder in ("seeds", "pages") for p in sorted((ROOT / "fixtures" / folder).glob("*.*"))
            if p.suffix in (".txt", ".html")]


def test_results_do_not_depend_on_the_pages_seen_before() -> None:
    # Each page cleaned as if it were the first page ever seen, then all of them as one stream (in
    # order, reversed, twice), with and without character repair: the same results every time.
    from dedup.clean import forget_lines

    pages = _fixture_pages()
    for config in (CleanConfig(), CleanConfig(repair=False)):
        alone = []
        for page in pages:
            forget_lines()
            alone.append(clean(page, config))
        forget_lines()
        assert [clean(page, config) for page in pages] == alone
        assert [clean(page, config) for page in reversed(pages)] == alone[::-1]
        assert [clean(page, config) for page in pages] == alone
        assert len(CLEAN_MODULE._PREPARED[config.repair]) > 500  # the stream did use the memo


def test_memo_keeps_what_recurs_and_stays_bounded() -> None:
    memo = CLEAN_MODULE._PreparedLines(True, limit=50)
    lines = [line for page in _fixture_pages() for line in page.splitlines()]
    hot = [line for line in lines if line.strip() and len(line) <= CLEAN_MODULE.PREPARED_MAX_CHARS][:10]
    assert any(len(line) > CLEAN_MODULE.PREPARED_MAX_CHARS for line in lines)  # long ones: never kept
    for _ in range(3):
        for k, line in enumerate(lines):
            got = memo.get(line)
            fresh = CLEAN_MODULE._Prepared(line, True)
            assert (got.repairs, got.later) == (fresh.repairs, fresh.later)
            assert (got.line is None) == (fresh.line is None)
            if fresh.line is not None:
                assert got.line is not None and got.line.text == fresh.line.text
            assert len(memo) <= 100
            if k % 20 == 0:
                for h in hot:  # lines met again and again stay, whatever streams past them
                    assert memo.get(h) is memo.get(h)
    assert len(lines) > 500


def test_a_credit_in_brackets_spares_the_line_under_it() -> None:
    """A bracketed credit closes its caption (which stands above it); the line under it is the
    article's next line, not a caption, however short (a credit line above a photo takes the
    caption under it)."""
    text = page(middle=("The new quay on the east side of the harbour.", "(Jane Doe / Associated Press)",
                        "What the bridge means for the quay"))
    result = clean(text)
    assert "(Jane Doe / Associated Press)" not in result.lines
    assert "What the bridge means for the quay" in result.lines


@pytest.mark.parametrize("line", ["(Walt Disney Co.)", "(I know, radical statement, right?)", "(File photo)",
                                  "(This story has been updated.)"])
def test_other_lines_in_brackets_stay(line: str) -> None:
    assert line in clean(page(middle=(line,))).lines


def test_is_html_rules_out_text_without_a_bracket_first() -> None:
    """is_html answers False for a text without "<" before trying its patterns: both need one."""
    from dedup.clean.html import HTML_START, HTML_TAG, MIN_TAGS

    def by_the_patterns(text: str) -> bool:
        if HTML_START.match(text[:2000]):
            return True
        return len(HTML_TAG.findall(text)) >= MIN_TAGS and "</" in text

    pages = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "fixtures" / "pages").glob("p*.*"))]
    samples = pages + ["<html><body>x</body></html>", "a < b and c > d", "<p>one</p>" * 5, "plain text"]
    for text in samples + [t.replace("<", "(") for t in samples]:
        assert is_html(text) == by_the_patterns(text)
    assert any(is_html(t) for t in samples) and not any(is_html(t.replace("<", "(")) for t in samples)
