//! Bylines in a dump or a page: the authors a byline names, without their
//! roles, places, outlets, the wire services that helped them or the date
//! that closes the line.

use super::*;

/// The authors a byline names: `By Martha Quill`, `By Martha Quill and Tom
/// Reyes`, `By A, B and C` ([`name_list`]); an affiliation after a name's
/// comma, one or more (`By Martha Quill, Calder Herald`, `By Martha Quill,
/// Reuters`, `By Martha Quill, Political Editor, in Calder`), is no author,
/// but a person's name there is (`By Martha Quill, Tom Reyes`), each author
/// with their own (`By Martha Quill, Political Editor, and Tom Reyes,
/// Reuters`: [`author_parts`]), and neither is where or for whom the authors
/// filed ([`without_filing`]; each author's own place or outlet,
/// [`without_place_or_outlet`]: `By Martha Quill in Calder and Tom Reyes`,
/// `By Martha Quill with AFP`), the wire services that helped them
/// ([`wire_services`]: `By Martha Quill and agencies`), the date that
/// closes the byline, joined by a word or not ([`split_date`]: `By Martha
/// Quill on December 2, 2026`, `Von Katrin Vogel am 2. Dezember 2026`), a
/// joining word left alone when the date was set apart (`By Martha Quill
/// on`, [`without_date_joiner`]) nor a social handle after a name
/// ([`without_handles`]: `By Martha Quill @mquill`). A `with` before a person's name joins
/// a second author ([`with_co_author`]). A byline crediting a newsroom (`By
/// Calder Herald staff`, [`newsroom_credit`]) names it as its one author.
/// The byline may open in other languages too ([`byline_rest`]).
pub(crate) fn byline_names(text: &str) -> Option<Vec<String>> {
    let names = without_date_joiner(split_date(byline_rest(text)?).0);
    let names = without_handles(names);
    let rest = without_filing(without_address(&names));
    let parts: Vec<&str> = author_parts(rest)
        .into_iter()
        .flat_map(with_co_author)
        .map(without_place_or_outlet)
        .filter(|part| !wire_services(part))
        .collect();
    if let [part] = parts[..]
        && (newsroom_credit(part) || news_agency(part))
    {
        return Some(vec![part.to_string()]);
    }
    let mut names = names_of(&parts)?;
    if let Some(last) = names.last_mut()
        && let Some(name) = without_outlet_after_capitals(last)
    {
        *last = name.to_string();
    }
    Some(names)
}

/// The parts of a byline's names that name its authors, each author's
/// affiliation left out: the names are split where a list of names is
/// ([`joined_lists`]), then at commas, and a part after a comma that does
/// not read as a person's name ([`person_name`]) is the affiliation of the
/// author before it ([`affiliation`]: a role, an outlet or a place, `Ana
/// Ruiz, Political Editor, in Westport`), as is a part after a joining word
/// that goes on with one (`Ana Ruiz, Health and Social Care Editor`). Any
/// other part is kept, for the caller to judge as a name.
fn author_parts(names: &str) -> Vec<&str> {
    let mut authors = Vec::new();
    let mut in_affiliation = false;
    for (list, joined) in joined_lists(names).into_iter().enumerate() {
        let parts = joined
            .trim()
            .trim_end_matches(',')
            .split(',')
            .map(str::trim);
        for (at, part) in parts.enumerate() {
            let opens_author = (at == 0 && (list == 0 || !in_affiliation))
                || person_name(without_place_or_outlet(part));
            in_affiliation = !opens_author && affiliation(part);
            if !in_affiliation {
                authors.push(part);
            }
        }
    }
    authors
}

/// A byline's names split where one list of names ends and the next
/// begins: at `&`, `;`, ` / ` and the words that join the last two names of a
/// list ([`NAME_JOINERS`]), a comma before them (`Ana Ruiz, Political
/// Editor, and Tom Reyes`) left with the list it closes. Names written in
/// capitals are joined by words in capitals (`MARTHA QUILL AND TOM REYES`).
fn joined_lists(names: &str) -> Vec<&str> {
    let mut lists: Vec<&str> = names
        .split(['&', ';'])
        .flat_map(|list| list.split(" / "))
        .collect();
    let in_capitals = !names.chars().any(char::is_lowercase);
    for joiner in NAME_JOINERS {
        let joiner = if in_capitals {
            std::borrow::Cow::Owned(joiner.to_uppercase())
        } else {
            std::borrow::Cow::Borrowed(joiner)
        };
        lists = lists
            .into_iter()
            .flat_map(|list| list.split(joiner.as_ref()))
            .collect();
    }
    lists
}

/// Whether a part of a byline after an author's name says what the author
/// is or where or for whom they wrote rather than naming another author: a
/// role, an outlet or a place (`Political Editor`, `Reuters`, `in
/// Westport`), one to six words, no sentence and no person's name.
fn affiliation(part: &str) -> bool {
    (1..=6).contains(&part.split_whitespace().count())
        && !part.trim_end().ends_with(is_sentence_end)
        && !person_name(part)
}

/// A name set in capitals without the outlet that follows it in other
/// type, as wire copy prints a byline (`TOM REYES Associated Press`:
/// `TOM REYES`): none when the name is not so set.
fn without_outlet_after_capitals(name: &str) -> Option<&str> {
    let capitals = |word: &str| {
        word.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && !word.chars().any(char::is_lowercase)
    };
    let words: Vec<&str> = name.split_whitespace().collect();
    let set = words.iter().take_while(|w| capitals(w)).count();
    if set < 2 || set == words.len() {
        return None;
    }
    let end = name.find(words[set])?;
    Some(name[..end].trim_end())
}

/// Words for `by` that open a byline in scripts without capitals, a colon
/// allowed after them: Arabic (`بقلم أحمد خالد`) and Hebrew (`מאת דנה לוי`).
const CASELESS_BY_WORDS: [&str; 2] = ["بقلم", "מאת"];

/// Labels for a byline whose colon is required, compared without case: the
/// word for its author in Russian, Polish, German, Czech, French, Turkish
/// and Hindi (`Автор: …`, `Autor: …`, `Auteur : …`, `Yazan: …`, `लेखक: …`)
/// and Russian's label for who wrote the text (`Текст: …`).
const BYLINE_LABELS: [&str; 7] = ["автор", "autor", "auteur", "yazan", "लेखक", "текст", "words"];

/// Words that may come before a byline's `by`, compared without case:
/// `Story by Owen Hale`, `Words by Owen Hale`, `Written by Owen Hale`.
const BYLINE_LEADS: [&str; 3] = ["story", "words", "written"];

/// `text` without the word before its `by` ([`BYLINE_LEADS`]: `Story by
/// Owen Hale` gives `by Owen Hale`); `text` itself when it opens otherwise.
fn without_byline_lead(text: &str) -> &str {
    BYLINE_LEADS
        .iter()
        .find_map(|lead| {
            let rest = text
                .get(..lead.len())
                .filter(|head| head.eq_ignore_ascii_case(lead))
                .and_then(|_| text[lead.len()..].strip_prefix(' '))?;
            rest.get(..3)
                .is_some_and(|by| by.eq_ignore_ascii_case("by "))
                .then_some(rest)
        })
        .unwrap_or(text)
}

/// What follows the word opening a byline, compared without case: `By`
/// (a word before it allowed: [`without_byline_lead`], `Story by …`)
/// and the words a date line's byline opens with in other languages
/// (`Par`, `Von`, `Por`, `Di`, `Door`, see `date::BY_WORDS`) or in scripts
/// without capitals ([`CASELESS_BY_WORDS`]: `بقلم`, `מאת`), a colon
/// allowed after them (`By: …`, `Por: …`), or a label whose colon is
/// required ([`BYLINE_LABELS`]: `Автор: …`, `Autor: …`, `Auteur : …`).
fn byline_rest(text: &str) -> Option<&str> {
    let text = without_byline_lead(text);
    let opener = |word: &str, colon: bool| {
        let head = text.get(..word.len())?;
        // Only a label with letters beyond ASCII is lowered whole.
        let same = if word.is_ascii() {
            head.eq_ignore_ascii_case(word)
        } else {
            // ASCII lowers to ASCII, which such a label is not.
            !head.is_ascii() && head.to_lowercase() == word
        };
        if !same {
            return None;
        }
        let rest = &text[word.len()..];
        let after_colon = rest.trim_start_matches(' ').strip_prefix([':', '：']);
        match after_colon {
            Some(after) => Some(after),
            None if !colon => Some(rest),
            None => None,
        }
    };
    let rest = BY_WORDS
        .iter()
        .chain(&CASELESS_BY_WORDS)
        .find_map(|by| opener(by, false))
        .or_else(|| BYLINE_LABELS.iter().find_map(|label| opener(label, true)))?;
    rest.starts_with(char::is_whitespace)
        .then(|| rest.trim_start())
}

/// Whether `text` opens as a byline does: with `By` or its word in another
/// language (`Von`, `Par`, `Por`, `Di`, `Door`) or a label, then a space
/// ([`byline_rest`]), whatever follows.
pub(crate) fn opens_byline(text: &str) -> bool {
    byline_rest(text).is_some()
}

/// The date line that closes a byline (`By Martha Quill • 3 December
/// 2026`: `3 December 2026`), if any ([`split_date`]).
pub(crate) fn byline_date(text: &str) -> Option<&str> {
    split_date(byline_rest(text)?).1
}

/// Words that join a byline's names to the date after them, in the
/// languages a byline may open in: `By Ana Ruiz on December 2, 2026`,
/// `Von Katrin Vogel am 2. Dezember 2026`, `Par Claire Dubois le 2 décembre
/// 2026`, `Por Lucía Gómez el 2 de diciembre`, `Di Marco Rossi il 2
/// dicembre`, `Door Sanne de Vries op 2 december`, `Por Ana Costa em 2 de
/// dezembro`.
const DATE_JOINERS: [&str; 7] = ["on", "am", "le", "el", "il", "op", "em"];

/// What follows a word joining a date to a byline's names ([`DATE_JOINERS`],
/// in lower case), when `text` opens with one.
fn past_date_joiner(text: &str) -> Option<&str> {
    let (word, rest) = text.split_once(' ')?;
    DATE_JOINERS.contains(&word).then(|| rest.trim_start())
}

/// A byline's names without the word that joined them to a date set apart
/// from them (in a `<time>` of its own: `Katrin Vogel am`): a name never
/// ends with such a word in lower case.
fn without_date_joiner(names: &str) -> &str {
    let names = names.trim_end();
    match names.rsplit_once(' ') {
        Some((before, last)) if DATE_JOINERS.contains(&last) => before.trim_end(),
        _ => names,
    }
}

/// A byline's names without the social-media handles beside them (`Ana
/// Ruiz @anaruiz`, `Ana Ruiz (@anaruiz) and Tom Reyes`): each word of `@`
/// and a user name, in brackets or not, with the comma after it kept.
fn without_handles(names: &str) -> std::borrow::Cow<'_, str> {
    let handle = |word: &str| {
        word.trim_start_matches('(')
            .trim_end_matches([')', ','])
            .strip_prefix('@')
            .is_some_and(|user| {
                !user.is_empty()
                    && user
                        .chars()
                        .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.'))
            })
    };
    if !names.split_whitespace().any(handle) {
        return names.into();
    }
    let mut kept = String::with_capacity(names.len());
    for word in names.split_whitespace() {
        if handle(word) {
            if word.ends_with(',') {
                kept.push(',');
            }
            continue;
        }
        if !kept.is_empty() {
            kept.push(' ');
        }
        kept.push_str(word);
    }
    kept.into()
}

/// A byline's names and the date line that closes them: after a comma
/// (`Gareth Owen, 15 November, 2026`: the part before a comma whose rest
/// reads as a date line), or after a space, a bullet, a middle dot, a
/// bar, a dash or a word joining them ([`DATE_JOINERS`]) when the date
/// opens with its day, month, weekday, year or label (`Martha Quill • 3
/// December 2026`, `Martha Quill - 3 December 2026`, `Martha Quill 3
/// December 2026`, `Martha Quill on December 3, 2026`, `Martha Quill
/// Updated 3 December 2026`) and two words or more come before it. A date
/// line that tells its date is taken before one that does not: a word of
/// the names before the date makes the rest a date line whose date cannot
/// be told (`Tom Reyes, Reuters • 6 December 2026` is dated 6 December
/// 2026, after `Reuters`).
fn split_date(names: &str) -> (&str, Option<&str>) {
    let dated = |rest: &str| matches!(read_date_line(rest), Some(DateLine::At(_)));
    let any = |rest: &str| read_date_line(rest).is_some();
    split_date_where(names, dated)
        .or_else(|| split_date_where(names, any))
        .map_or((names, None), |(before, rest)| (before, Some(rest)))
}

/// A byline's names and the date line closing them that `reads` accepts
/// ([`split_date`]): after the first comma so followed, else after the
/// first space so followed.
fn split_date_where(names: &str, reads: impl Fn(&str) -> bool) -> Option<(&str, &str)> {
    const SEPARATORS: [char; 8] = [' ', '•', '·', '|', '-', '–', '—', '/'];
    if let Some((at, _)) = names
        .match_indices(',')
        .find(|&(at, _)| reads(&names[at + 1..]))
    {
        return Some((names[..at].trim_end(), names[at + 1..].trim()));
    }
    let opens_date = |rest: &str| {
        let first = rest.split_whitespace().next().unwrap_or_default();
        let word = first
            .trim_end_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        first.starts_with(|c: char| c.is_ascii_digit())
            || day_or_month_name(&word)
            || opens_with_label(rest)
    };
    names
        .match_indices(' ')
        .map(|(at, _)| {
            let rest = names[at..].trim_start_matches(SEPARATORS);
            (
                names[..at].trim_end_matches(SEPARATORS),
                past_date_joiner(rest).unwrap_or(rest),
            )
        })
        .find(|&(before, rest)| {
            before.split_whitespace().count() >= 2 && opens_date(rest) && reads(rest)
        })
}

/// A byline's names without the e-mail address that closes them, in
/// brackets or after a dash, a bar or a comma (`Martha Quill
/// <mq@example.org>`, `Martha Quill - mq@example.org`): the names
/// themselves when no address closes them.
fn without_address(names: &str) -> &str {
    let names = names.trim_end();
    let Some((before, last)) = names.rsplit_once(' ') else {
        return names;
    };
    let address = last
        .trim_start_matches(['<', '(', '['])
        .trim_end_matches(['>', ')', ']']);
    let is_address = address.split_once('@').is_some_and(|(user, host)| {
        !user.is_empty() && host.contains('.') && !host.starts_with('.') && !host.ends_with('.')
    });
    if !is_address {
        return names;
    }
    before
        .trim_end()
        .trim_end_matches(['-', '–', '—', '|', ',', ':'])
        .trim_end()
}

/// A byline's names without what follows them to say where or for whom
/// they filed: an agency or outlet in brackets (`Martha Quill (Reuters)`),
/// an outlet after a bar, a middle dot, a bullet, a slash or a dash, a
/// hyphen written for one included (`Martha Quill | Calder Herald`, `Martha
/// Quill - Calder Herald`, `Martha Quill • Reuters`, `Martha Quill / AFP`),
/// a place after ` in ` or an outlet after ` for ` in capitalised words
/// (`Martha Quill in New Calder`, `… for the Calder Herald`).
fn without_filing(names: &str) -> &str {
    const SEPARATORS: [&str; 7] = [" | ", " · ", " — ", " – ", " - ", " • ", " / "];
    let short = |tail: &str| {
        let words = tail.split_whitespace().count();
        (1..=6).contains(&words) && !tail.trim_end().ends_with(is_sentence_end)
    };
    if let Some(before) = CREDIT_BRACKETS.iter().find_map(|&(open, close)| {
        let inner = names.strip_suffix(close)?;
        let (before, tail) = inner.rsplit_once(open)?;
        (!before.trim().is_empty() && short(tail)).then(|| before.trim_end())
    }) {
        return before;
    }
    if let Some((before, tail)) = SEPARATORS
        .iter()
        .filter_map(|separator| names.split_once(separator))
        .min_by_key(|(before, _)| before.len())
        && short(tail)
        // A second author after a slash is no outlet (`Ana Ruiz / Tom
        // Reyes`): the list is split there ([`joined_lists`]).
        && !(names.contains(" / ") && person_name(tail))
    {
        return before;
    }
    let capitalised = |tail: &str| {
        let words = tail.strip_prefix("the ").unwrap_or(tail).split_whitespace();
        short(tail)
            && tail.split_whitespace().count() <= 4
            && words
                .into_iter()
                .all(|w| w.chars().next().is_some_and(char::is_uppercase))
    };
    [" in ", " for "]
        .iter()
        .filter_map(|word| names.rsplit_once(word))
        .find(|(_, tail)| capitalised(tail))
        .map_or(names, |(before, _)| before)
}

/// The words that join the last two names of a list, in the languages a
/// byline may open in (`Von Katrin Vogel und Jan Berg`, `Par Claire Dubois
/// et Marc Petit`, `Por Lucía Gómez y Pedro Ruiz`, `Di Marco Rossi e Anna
/// Bianchi`, `Door Sanne de Vries en Jan Berg`, `Автор: Иван Петров и
/// Мария Иванова`, `Autor: Jan Kowalski i Anna Nowak`, `Yazan: Ahmet
/// Yılmaz ve Ayşe Kaya`, `लेखक: राहुल शर्मा और प्रिया सिंह`).
const NAME_JOINERS: [&str; 10] = [
    " and ", " und ", " et ", " y ", " e ", " en ", " и ", " i ", " ve ", " और ",
];

/// The names of a list (`Martha Quill`, `Martha Quill, Tom Reyes and Ana de
/// la Cruz`, `A & B; C`, `Katrin Vogel und Jan Berg`: [`NAME_JOINERS`]),
/// each one to five words, each capitalised but for particles (`de`,
/// `van`); the first name has two words or more.
pub(crate) fn name_list(text: &str) -> Option<Vec<String>> {
    names_of(&name_parts(text))
}

/// The parts of a list of names, split at commas, `&`, `;` and the words
/// that join the last two ([`NAME_JOINERS`]), trimmed.
pub(crate) fn name_parts(text: &str) -> Vec<&str> {
    let mut parts: Vec<&str> = text.split([',', '&', ';']).map(str::trim).collect();
    for joiner in NAME_JOINERS {
        parts = parts
            .into_iter()
            .flat_map(|part| part.split(joiner))
            .collect();
    }
    parts.into_iter().map(str::trim).collect()
}

/// The parts of a list as names, when every one reads as a name
/// ([`name_like`], or [`caseless_name`] in a script without capitals) and
/// the first has two words or more.
fn names_of(parts: &[&str]) -> Option<Vec<String>> {
    let first_is_person = parts
        .first()
        .is_some_and(|n| n.split_whitespace().count() >= 2);
    (first_is_person && parts.iter().all(|n| name_like(n) || caseless_name(n)))
        .then(|| parts.iter().map(|n| n.to_string()).collect())
}

/// The words before where or for whom, or with whom, one author of a byline
/// filed, in the languages a byline may open in (`Martha Quill in Calder`,
/// `Martha Quill with AFP`, `Claire Dubois à Paris`, `Katrin Vogel aus
/// Berlin`, `Lucía Gómez desde Madrid`, `Marco Rossi per La Stampa`).
const FILING_WORDS: [&str; 20] = [
    "in", "for", "with", "at", "from", "à", "pour", "avec", "depuis", "aus", "für", "mit", "desde",
    "para", "con", "per", "voor", "uit", "vanuit", "met",
];

/// The words for `with` in the languages a byline may open in: before a
/// person's name they join a second author (`By Martha Quill with Tom
/// Reyes`), before an agency they say with whom the author filed.
const WITH_WORDS: [&str; 5] = [" with ", " avec ", " mit ", " con ", " met "];

/// A byline's part as the authors it names: two when a `with` word joins a
/// person's name to the first ([`WITH_WORDS`], [`person_name`]), else the
/// part itself.
fn with_co_author(part: &str) -> Vec<&str> {
    WITH_WORDS
        .iter()
        .find_map(|with| {
            let (first, second) = part.split_once(with)?;
            person_name(second).then(|| vec![first.trim(), second.trim()])
        })
        .unwrap_or_else(|| vec![part])
}

/// The articles that may open an outlet's name after a filing word (`for
/// the Calder Herald`, `für die Calder Zeitung`, `pour Le Monde`).
const OUTLET_ARTICLES: [&str; 12] = [
    "the", "die", "der", "das", "le", "la", "les", "el", "los", "il", "lo", "het",
];

/// One author of a byline without where, for whom or with whom they filed
/// ([`FILING_WORDS`]): a filing word after two words or more, before one
/// to four capitalised words (an article allowed first: [`OUTLET_ARTICLES`]);
/// `Martha Quill in a Storm of Letters` is no such name.
fn without_place_or_outlet(part: &str) -> &str {
    let words: Vec<(usize, &str)> = part
        .split(' ')
        .scan(0, |at, word| {
            let start = *at;
            *at += word.len() + 1;
            Some((start, word))
        })
        .filter(|(_, word)| !word.is_empty())
        .collect();
    let capitalised = |w: &(usize, &str)| w.1.chars().next().is_some_and(char::is_uppercase);
    let outlet = |tail: &[(usize, &str)]| {
        let tail = match tail.split_first() {
            Some((first, rest)) if OUTLET_ARTICLES.contains(&first.1.to_lowercase().as_str()) => {
                rest
            }
            _ => tail,
        };
        (1..=4).contains(&tail.len()) && tail.iter().all(capitalised)
    };
    if part.trim_end().ends_with(is_sentence_end) {
        return part;
    }
    (2..words.len())
        .find(|&at| FILING_WORDS.contains(&words[at].1) && outlet(&words[at + 1..]))
        .map_or(part, |at| part[..words[at].0].trim_end())
}

/// Whether a part of a byline names the wire services that helped its
/// authors, in lower case (`By Martha Quill and agencies`, `Von Katrin Vogel
/// und Agenturen`): no author.
fn wire_services(part: &str) -> bool {
    const WIRES: [&str; 10] = [
        "agencies",
        "news agencies",
        "wires",
        "wire services",
        "agences",
        "agencias",
        "agenzie",
        "agenturen",
        "agentschappen",
        "persbureaus",
    ];
    WIRES.contains(&part.to_lowercase().as_str())
}

/// Whether a byline's only part names a news agency alone (`By Reuters`,
/// `By AFP`, `By dpa`): it is the byline's one author, as written.
fn news_agency(part: &str) -> bool {
    const AGENCIES: [&str; 24] = [
        "reuters",
        "afp",
        "ap",
        "bloomberg",
        "pa",
        "pa media",
        "dpa",
        "efe",
        "ansa",
        "xinhua",
        "kyodo",
        "yonhap",
        "tass",
        "ria novosti",
        "anadolu",
        "anp",
        "belga",
        "apa",
        "lusa",
        "europa press",
        "aap",
        "upi",
        "pti",
        "the canadian press",
    ];
    AGENCIES.contains(&part.to_lowercase().as_str())
}

/// Whether a byline's only part credits a newsroom rather than people: an
/// outlet's capitalised name before a word for its staff (`Calder Herald
/// staff`, `AP reporters`). It is the byline's one author, as written.
fn newsroom_credit(part: &str) -> bool {
    const STAFF: [&str; 6] = [
        "staff",
        "reporters",
        "correspondents",
        "writers",
        "redaktion",
        "rédaction",
    ];
    let Some((outlet, staff)) = part.rsplit_once(' ') else {
        return false;
    };
    let outlet: Vec<&str> = outlet.split_whitespace().collect();
    STAFF.contains(&staff.to_lowercase().as_str())
        && (1..=4).contains(&outlet.len())
        && outlet
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase))
}

/// Whether a byline's part reads as a person's name (`Tom Reyes`) rather
/// than a publication, agency or role (`Calder Herald`, `Reuters`,
/// `Political Correspondent`): two words or more, shaped as a name
/// ([`name_like`]), none of them a word such names are made of.
pub(crate) fn person_name(part: &str) -> bool {
    const NOT_NAMES: &[&str] = &[
        "the",
        "herald",
        "times",
        "news",
        "post",
        "press",
        "journal",
        "tribune",
        "gazette",
        "chronicle",
        "guardian",
        "telegraph",
        "observer",
        "mail",
        "express",
        "standard",
        "independent",
        "courier",
        "review",
        "daily",
        "weekly",
        "magazine",
        "agency",
        "service",
        "network",
        "radio",
        "television",
        "tv",
        "media",
        "group",
        "bureau",
        "desk",
        "staff",
        "correspondent",
        "reporter",
        "editor",
        "writer",
        "contributor",
        "columnist",
        "journalist",
        "photojournalist",
        "photographer",
        "videographer",
        "illustrator",
        "producer",
        "presenter",
        "anchor",
        "analyst",
        "critic",
        "commentator",
        "researcher",
        "intern",
        "deputy",
        "assistant",
        "chief",
        "senior",
        "associated",
        "online",
        "digital",
        "newsroom",
    ];
    let words: Vec<String> = part.split_whitespace().map(str::to_lowercase).collect();
    words.len() >= 2
        && name_like(part.trim())
        && !words
            .iter()
            .any(|w| NOT_NAMES.contains(&w.trim_matches(|c: char| !c.is_alphanumeric())))
}

/// One to five words, the first capitalised and each of the others
/// capitalised or a particle of a name (`Ana de la Cruz`).
fn name_like(name: &str) -> bool {
    const PARTICLES: [&str; 16] = [
        "de", "da", "das", "do", "dos", "del", "della", "di", "du", "la", "le", "van", "von",
        "der", "den", "bin",
    ];
    let words: Vec<&str> = name.split_whitespace().collect();
    let capital = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    (1..=5).contains(&words.len())
        && capital(words[0])
        && words.iter().all(|w| capital(w) || PARTICLES.contains(w))
        && !name.chars().any(|c| c.is_ascii_digit())
}

/// A name written in a script without capitals (`أحمد خالد`, `דנה לוי`,
/// `राहुल शर्मा`): one to four words, each opening with a letter of such a
/// script, no digit and none of the marks that end or part a sentence.
fn caseless_name(name: &str) -> bool {
    const SENTENCE_MARKS: [char; 12] = ['.', ',', ';', ':', '!', '?', '،', '؛', '؟', '।', '«', '"'];
    let caseless = |word: &str| {
        word.chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() && !c.is_lowercase() && !c.is_uppercase())
    };
    let words: Vec<&str> = name.split_whitespace().collect();
    (1..=4).contains(&words.len())
        && words.iter().all(|word| caseless(word))
        && !name
            .chars()
            .any(|c| c.is_numeric() || SENTENCE_MARKS.contains(&c))
}

/// Whether `text` credits the article's authors: a byline
/// ([`byline_names`]) or a wire story's trailer ([`wire_trailer`]). Such a
/// line is never a headline.
pub(super) fn credits_authors(text: &str) -> bool {
    byline_names(text).is_some() || byline_lead_author(text).is_some() || wire_trailer(text)
}

/// Whether `text` is a wire story's trailer naming who reported, wrote or
/// edited it (`Reporting by …; Editing by …`), bare or in brackets
/// (`(Reporting by …)`, `[Editing by …]`). Such words are never a photo's
/// credit.
pub(super) fn wire_trailer(text: &str) -> bool {
    const TRAILERS: [&str; 9] = [
        "reporting by",
        "additional reporting by",
        "with reporting by",
        "reported by",
        "writing by",
        "written by",
        "editing by",
        "edited by",
        "compiled by",
    ];
    let opened = CREDIT_BRACKETS
        .iter()
        .find_map(|&(open, _)| text.strip_prefix(open))
        .unwrap_or(text);
    let opened = opened.trim_start();
    TRAILERS.iter().any(|t| starts_with_lowered(opened, t))
}

/// The author a byline the reader cannot wholly split opens with: `By`
/// or its word in another language ([`byline_rest`]), a name of two
/// capitalised words or more ([`name_like`]), then a word in lower case and
/// what the byline says after it (`By Martha Quill with additional
/// reporting from Calder` gives `Martha Quill`). The byline is twelve words
/// at most and no sentence. Such a line is never a headline, and in the
/// header it is the byline.
pub(super) fn byline_lead_author(text: &str) -> Option<&str> {
    let rest = byline_rest(text)?;
    if text.split_whitespace().count() > 12 || reads_as_paragraph(text) {
        return None;
    }
    let name_end = rest
        .match_indices(' ')
        .map(|(at, _)| at)
        .take_while(|&at| name_like(&rest[..at]))
        .last()?;
    let name = &rest[..name_end];
    let next = rest[name_end..].split_whitespace().next()?;
    let person = name.split_whitespace().count() >= 2 && !name.contains(',');
    (person && next.starts_with(char::is_lowercase)).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bylines_in_more_languages_name_every_author() {
        let cases: &[(&str, &[&str])] = &[
            (
                "Автор: Иван Петров и Мария Иванова",
                &["Иван Петров", "Мария Иванова"],
            ),
            (
                "Autor: Jan Kowalski i Anna Nowak",
                &["Jan Kowalski", "Anna Nowak"],
            ),
            ("Текст: Иван Петров", &["Иван Петров"]),
            (
                "Yazan: Ahmet Yılmaz ve Ayşe Kaya",
                &["Ahmet Yılmaz", "Ayşe Kaya"],
            ),
            ("بقلم أحمد خالد", &["أحمد خالد"]),
            ("מאת דנה לוי", &["דנה לוי"]),
            ("लेखक: राहुल शर्मा", &["राहुल शर्मा"]),
            ("लेखक: राहुल शर्मा और प्रिया सिंह", &["राहुल शर्मा", "प्रिया सिंह"]),
        ];
        for &(byline, authors) in cases {
            let want: Vec<String> = authors.iter().map(|a| a.to_string()).collect();
            assert_eq!(byline_names(byline), Some(want), "{byline}");
        }
    }

    #[test]
    fn a_byline_word_opening_a_sentence_names_no_one() {
        for line in [
            "بقلم الرصاص كتب الطلاب إجاباتهم في الامتحان الأخير هذا العام.",
            "מאת 2020 ועד היום נבנו בעיר שלושה גשרים חדשים.",
            "लेखक: इस किताब में तीन सौ पन्ने हैं और सौ चित्र।",
            "Текст: документ опубликован в пятницу",
            "Yazan: belediye başkanı açıklama yaptı",
            "Autor i wydawca nie odpowiedzieli na pytania",
        ] {
            assert_eq!(byline_names(line), None, "{line}");
        }
    }

    #[test]
    fn a_date_joined_to_the_names_by_a_word_is_no_part_of_them() {
        let ana = Some(vec!["Ana Ruiz".to_string()]);
        for byline in [
            "By Ana Ruiz on December 2, 2026",
            "Von Ana Ruiz am 2. Dezember 2026",
            "Par Ana Ruiz le 2 décembre 2026",
            "Por Ana Ruiz el 2 de diciembre de 2026",
            "Di Ana Ruiz il 2 dicembre 2026",
            // The date in an element of its own, its joining word left.
            "By Ana Ruiz on",
            "Von Ana Ruiz am",
        ] {
            assert_eq!(byline_names(byline), ana, "{byline}");
        }
        assert_eq!(
            byline_date("By Ana Ruiz on December 2, 2026"),
            Some("December 2, 2026")
        );
        // A name's own lower-case particle stays.
        assert_eq!(
            byline_names("By Ana de la Cruz"),
            Some(vec!["Ana de la Cruz".to_string()])
        );
    }

    #[test]
    fn a_social_handle_after_a_name_is_no_part_of_it() {
        for byline in ["By Ana Ruiz @anaruiz", "By Ana Ruiz (@ana_ruiz)"] {
            assert_eq!(
                byline_names(byline),
                Some(vec!["Ana Ruiz".to_string()]),
                "{byline}"
            );
        }
        assert_eq!(
            byline_names("By Ana Ruiz @anaruiz and Tom Reyes @treyes"),
            Some(vec!["Ana Ruiz".to_string(), "Tom Reyes".to_string()])
        );
    }

    #[test]
    fn a_second_author_after_a_slash_is_an_author_and_an_agency_an_outlet() {
        assert_eq!(
            byline_names("By Ana Ruiz / Tom Reyes"),
            Some(vec!["Ana Ruiz".to_string(), "Tom Reyes".to_string()])
        );
        assert_eq!(
            byline_names("By Ana Ruiz / AFP"),
            Some(vec!["Ana Ruiz".to_string()])
        );
    }

    #[test]
    fn a_date_after_an_agency_closing_a_byline_is_its_date() {
        for byline in [
            "By Tom Reyes, Reuters • 6 December 2026",
            "By Tom Reyes, AFP, 6 December 2026",
            "By Tom Reyes, AP | 6 December 2026",
            "By Tom Reyes, Calder Herald • 6 December 2026",
        ] {
            assert_eq!(byline_date(byline), Some("6 December 2026"), "{byline}");
            assert_eq!(
                byline_names(byline),
                Some(vec!["Tom Reyes".to_string()]),
                "{byline}"
            );
        }
    }

    #[test]
    fn a_byline_in_capitals_names_every_author() {
        for (byline, authors) in [
            (
                "BY MARTHA QUILL AND TOM REYES",
                &["MARTHA QUILL", "TOM REYES"][..],
            ),
            (
                "BY MARTHA QUILL & TOM REYES",
                &["MARTHA QUILL", "TOM REYES"],
            ),
            (
                "VON KATRIN VOGEL UND JAN BERG",
                &["KATRIN VOGEL", "JAN BERG"],
            ),
            (
                "By Martha Quill and Tom Reyes",
                &["Martha Quill", "Tom Reyes"],
            ),
        ] {
            let want: Vec<String> = authors.iter().map(|a| a.to_string()).collect();
            assert_eq!(byline_names(byline), Some(want), "{byline}");
        }
    }
}
