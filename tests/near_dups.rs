//! End to end: near-duplicate folding through the real binary. Two dumps
//! ingested in two runs, the second repeating one story with case and quote
//! changes and another with a paragraph appended, publish each story once;
//! the updated story keeps its id and published date and shows the new
//! paragraph; two same-titled briefings with different bodies stay two
//! entries; `feedfold dups` says which copy was folded into which and why.
//! The seed dump, read in place, stays its two stories.

mod common;

use common::{Project, fixtures, text};
use serde_json::Value;

const CONFIG: &str = r#"
[publish]
dir = "out"
base_url = "https://news.example/"

[[source]]
name = "desk"
text = "dumps/*.txt"

[[feed]]
name = "news"
title = "News"
"#;

const APPENDED: &str = "On Tuesday the council confirmed that parking in the goods yard will \
                        be free for market customers after six in the evening.";

fn add_dump(project: &Project, name: &str) {
    let dumps = project.path("dumps");
    std::fs::create_dir_all(&dumps).unwrap();
    std::fs::copy(fixtures().join("dumps").join(name), dumps.join(name)).unwrap();
}

fn run(project: &Project) -> String {
    let output = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&output);
    assert!(
        output.status.success(),
        "stdout: {stdout}\nstderr: {stderr}"
    );
    stdout
}

fn items(project: &Project) -> Vec<Value> {
    let feed: Value = serde_json::from_str(&project.read("out/news.json")).unwrap();
    feed["items"].as_array().unwrap().clone()
}

fn find<'a>(items: &'a [Value], title: &str) -> Vec<&'a Value> {
    items
        .iter()
        .filter(|i| i["title"].as_str().unwrap().eq_ignore_ascii_case(title))
        .collect()
}

fn dups_json(project: &Project, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["dups", "--json"];
    all.extend_from_slice(args);
    let output = project.feedfold(&all);
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stderr}");
    stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON object per line"))
        .collect()
}

#[test]
fn republished_and_updated_stories_are_published_once() {
    let project = Project::new(CONFIG);
    add_dump(&project, "near-monday.txt");
    let first = run(&project);
    assert!(first.contains("3 new, 0 already known"), "{first}");
    let monday = items(&project);
    assert_eq!(monday.len(), 3);
    let market = find(&monday, "Night Market Moves to the Old Goods Yard")[0].clone();

    add_dump(&project, "near-tuesday.txt");
    let second = run(&project);
    // Monday's dump again: three known; Tuesday's: the bridge (exact once
    // folded) known, the market updated, a new briefing.
    assert!(
        second.contains("1 new, 4 already known, 1 updated"),
        "{second}"
    );
    let tuesday = items(&project);
    assert_eq!(tuesday.len(), 4, "{tuesday:#?}");
    assert_eq!(
        find(
            &tuesday,
            "Riverside Bridge Reopens After Two Years of Repairs"
        )
        .len(),
        1
    );
    let markets = find(&tuesday, "Night Market Moves to the Old Goods Yard");
    assert_eq!(markets.len(), 1);
    let updated = markets[0];
    assert_eq!(updated["id"], market["id"]);
    assert_eq!(updated["date_published"], market["date_published"]);
    assert_eq!(updated["date_published"], "2026-11-09T08:00:00Z");
    assert_ne!(updated["date_modified"], market["date_modified"]);
    assert!(
        updated["content_html"].as_str().unwrap().contains(APPENDED),
        "{updated:#}"
    );
    assert!(!market["content_html"].as_str().unwrap().contains(APPENDED));
    let briefings = find(&tuesday, "Evening Briefing");
    assert_eq!(briefings.len(), 2);
    assert_ne!(briefings[0]["id"], briefings[1]["id"]);

    // A third run over the same dumps changes nothing.
    let third = run(&project);
    assert!(third.contains("0 new, 6 already known"), "{third}");
    assert_eq!(items(&project), tuesday);
}

#[test]
fn dups_lists_each_folded_copy_with_its_rule_and_places() {
    let project = Project::new(CONFIG);
    add_dump(&project, "near-monday.txt");
    run(&project);
    assert!(dups_json(&project, &[]).is_empty());
    add_dump(&project, "near-tuesday.txt");
    run(&project);

    let folds = dups_json(&project, &[]);
    assert_eq!(folds.len(), 2, "{folds:#?}");
    let bridge = &folds[0];
    assert_eq!(bridge["rule"], "exact");
    assert_eq!(bridge["distance"], 0);
    assert_eq!(bridge["replaced"], Value::Null);
    assert_eq!(
        bridge["copy"]["title"],
        "RIVERSIDE BRIDGE REOPENS AFTER TWO YEARS OF REPAIRS"
    );
    assert!(
        bridge["copy"]["location"]
            .as_str()
            .unwrap()
            .ends_with("near-tuesday.txt")
    );
    assert_eq!(bridge["copy"]["source"], "desk");
    assert_eq!(bridge["copy"]["line"], 1);
    assert_eq!(
        bridge["into"]["title"],
        "Riverside Bridge Reopens After Two Years of Repairs"
    );
    assert!(
        bridge["into"]["location"]
            .as_str()
            .unwrap()
            .ends_with("near-monday.txt")
    );

    let market = &folds[1];
    assert_eq!(market["rule"], "shared-paragraphs");
    assert!(market["distance"].as_u64().unwrap() > 3, "{market:#}");
    assert_eq!(market["replaced"], "longer");
    assert_eq!(market["copy"]["line"], 16);
    assert_eq!(
        market["into"]["title"],
        "Night Market Moves to the Old Goods Yard"
    );
    let items = items(&project);
    let published = find(&items, "Night Market Moves to the Old Goods Yard")[0];
    assert_eq!(market["into"]["id"], published["id"]);
    assert_ne!(market["copy"]["id"], published["id"]);

    // The text form names the same, and --since filters by when.
    let output = project.feedfold(&["dups"]);
    let (stdout, _) = text(&output);
    assert!(
        stdout.contains("shared-paragraphs, ")
            && stdout.contains("replaced the stored text (longer)")
            && stdout.ends_with("2 copies folded into 2 articles\n"),
        "{stdout}"
    );
    assert_eq!(dups_json(&project, &["--since", "2000-01-01"]).len(), 2);
    assert!(dups_json(&project, &["--since", "2999-01-01"]).is_empty());
    let (later, _) = text(&project.feedfold(&["dups", "--since", "2999-01-01"]));
    assert_eq!(
        later,
        "no copy was folded into another article since 2999-01-01T00:00:00Z\n"
    );
    let bad = project.feedfold(&["dups", "--since", "soon"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn near_folding_can_be_turned_off() {
    let project = Project::new(&format!("{CONFIG}\n[dedup]\nnear = false\n"));
    add_dump(&project, "near-monday.txt");
    run(&project);
    add_dump(&project, "near-tuesday.txt");
    let second = run(&project);
    assert!(second.contains("2 new"), "{second}");
    let items = items(&project);
    assert_eq!(
        find(&items, "Night Market Moves to the Old Goods Yard").len(),
        2
    );
    let folds = dups_json(&project, &[]);
    assert_eq!(folds.len(), 1, "only the exact repeat: {folds:#?}");
    assert_eq!(folds[0]["rule"], "exact");
}

/// One article as a dump holds it: headline, date line, paragraphs.
fn dump_article(headline: &str, date: &str, paragraphs: &[String]) -> String {
    format!("{headline}\n{date}\n\n{}\n\n", paragraphs.join("\n\n"))
}

/// The paragraphs of a story of the near-duplicate evaluation.
fn story_paragraphs(path: &str) -> Vec<String> {
    let text = std::fs::read_to_string(fixtures().join("neardup").join(path)).unwrap();
    let (_, body) = text.split_once("\n\n").unwrap();
    body.split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect()
}

/// A project whose first run stored `story` under `headline` from the
/// wire's dump, and the feed item it published.
fn wire_story_stored(headline: &str, story: &[String]) -> (Project, Value) {
    let project = Project::new(CONFIG);
    std::fs::create_dir_all(project.path("dumps")).unwrap();
    std::fs::write(
        project.path("dumps/wire.txt"),
        dump_article(headline, "2026-10-05", story),
    )
    .unwrap();
    run(&project);
    let original = items(&project)[0].clone();
    (project, original)
}

#[test]
fn syndicated_copies_fold_with_their_evidence_and_a_follow_up_stays_apart() {
    const HEADLINE: &str = "Port of Calder Approves Harbour Expansion After Year-Long Dispute";
    let story = story_paragraphs("stories/01-port-expansion.txt");
    let follow_up = story_paragraphs("followups/01-port-appeal.txt");
    let (project, original) = wire_story_stored(HEADLINE, &story);

    // A regional paper: its own intro, the last paragraphs cut, its headline.
    let mut local = vec![
        "Fishermen in Saltmarsh said on Tuesday that the protected quay was what they had \
         asked for from the start, and that the deal had been a long time coming."
            .to_string(),
    ];
    local.extend(story[..5].iter().cloned());
    // An aggregator: the first half under the same headline.
    let half = story[..story.len().div_ceil(2)].to_vec();
    // Several edits at once: new headline, agency dateline, curly quotes,
    // a middle paragraph taken out.
    let mut edited: Vec<String> = story.iter().map(|p| p.replace('"', "\u{201C}")).collect();
    edited[0] = format!("CALDER (Reuters) - {}", edited[0]);
    edited.remove(4);
    // A follow-up: three paragraphs of its own over the story's opening.
    let mut new_lead = follow_up[..3].to_vec();
    new_lead.extend(story[..4].iter().cloned());
    let later = [
        dump_article("Saltmarsh fleet wins its quay", "2026-10-06", &local),
        dump_article(HEADLINE, "2026-10-06", &half),
        dump_article("Fishing fleet gets its own berth", "2026-10-06", &edited),
        dump_article(
            "Environmental Groups Appeal Port of Calder Harbour Expansion",
            "2026-11-20",
            &new_lead,
        ),
    ];
    // Each from a site of its own: a sighting per place.
    for (i, article) in later.iter().enumerate() {
        std::fs::write(project.path(&format!("dumps/partner-{i}.txt")), article).unwrap();
    }
    let second = run(&project);
    assert!(second.contains("1 new, 4 already known"), "{second}");

    let items = items(&project);
    assert_eq!(items.len(), 2, "{items:#?}");
    let kept = find(&items, HEADLINE);
    assert_eq!(kept.len(), 1, "the original's headline survives");
    assert_eq!(
        *kept[0], original,
        "its text, id and dates are as first seen"
    );
    assert_eq!(
        find(
            &items,
            "Environmental Groups Appeal Port of Calder Harbour Expansion"
        )
        .len(),
        1
    );

    let folds = dups_json(&project, &[]);
    assert_eq!(folds.len(), 3, "{folds:#?}");
    assert!(folds.iter().all(|f| f["into"]["id"] == original["id"]));
    assert!(folds.iter().all(|f| f["replaced"].is_null()));
    let by_title = |title: &str| folds.iter().find(|f| f["copy"]["title"] == title).unwrap();
    let local = by_title("Saltmarsh fleet wins its quay");
    // Five of its six paragraphs, most of its words, are the wire's.
    assert_eq!(local["rule"], "contained", "{local:#}");
    assert_eq!(
        local["evidence"],
        "contained: 5 of 6 paragraphs, one new paragraph on top"
    );
    // A headline sharing no word with the original's: the body decides.
    let edited = by_title("Fishing fleet gets its own berth");
    assert_eq!(edited["rule"], "contained", "{edited:#}");
    assert_eq!(
        edited["evidence"],
        "contained: 8 of 8 paragraphs, shared lead"
    );
    let half = by_title(HEADLINE);
    assert_eq!(half["rule"], "shared-paragraphs");
    assert!(half.get("evidence").is_none(), "the older rules show none");
    let output = project.feedfold(&["dups"]);
    let (stdout, _) = text(&output);
    assert!(
        stdout.contains("(contained: 5 of 6 paragraphs, one new paragraph on top)"),
        "{stdout}"
    );
}

/// Another system's paragraphing: the same words, two paragraphs run
/// into one, or each broken at a sentence, under headlines sharing no word
/// with the original's.
#[test]
fn copies_paragraphed_anew_under_other_headlines_fold_and_dups_says_so() {
    const HEADLINE: &str = "Port of Calder Approves Harbour Expansion After Year-Long Dispute";
    let story = story_paragraphs("stories/01-port-expansion.txt");
    let (project, original) = wire_story_stored(HEADLINE, &story);

    let joined: Vec<String> = story.chunks(2).map(|pair| pair.join(" ")).collect();
    let split: Vec<String> = story
        .iter()
        .flat_map(|p| match p.find(". ") {
            Some(end) => vec![p[..=end].to_string(), p[end + 2..].to_string()],
            None => vec![p.clone()],
        })
        .collect();
    assert!(
        split.len() > story.len(),
        "some paragraphs have two sentences"
    );
    std::fs::write(
        project.path("dumps/partner-joined.txt"),
        dump_article("Fishing fleet gets its own berth", "2026-10-06", &joined),
    )
    .unwrap();
    std::fs::write(
        project.path("dumps/partner-split.txt"),
        dump_article("Saltmarsh boats keep their moorings", "2026-10-06", &split),
    )
    .unwrap();
    let second = run(&project);
    assert!(second.contains("0 new, 3 already known"), "{second}");

    let items = items(&project);
    assert_eq!(items.len(), 1, "{items:#?}");
    assert_eq!(
        items[0], original,
        "its text, id and dates are as first seen"
    );
    let folds = dups_json(&project, &[]);
    assert_eq!(folds.len(), 2, "{folds:#?}");
    for fold in &folds {
        assert_eq!(fold["into"]["id"], original["id"]);
        assert_eq!(fold["rule"], "re-paragraphed", "{fold:#}");
        assert!(fold["replaced"].is_null(), "{fold:#}");
    }
    let joined = folds
        .iter()
        .find(|f| f["copy"]["title"] == "Fishing fleet gets its own berth")
        .unwrap();
    let n = story.len();
    assert_eq!(
        joined["evidence"],
        format!("contained: {n} of {n} paragraphs, shared lead")
    );
}

#[test]
fn a_wire_copy_that_extends_a_story_keeps_the_stories_own_headline() {
    const HEADLINE: &str = "Port of Calder Approves Harbour Expansion After Year-Long Dispute";
    let story = story_paragraphs("stories/01-port-expansion.txt");
    let project = Project::new(CONFIG);
    std::fs::create_dir_all(project.path("dumps")).unwrap();
    std::fs::write(
        project.path("dumps/desk.txt"),
        dump_article(HEADLINE, "2026-10-05", &story[..story.len() - 1]),
    )
    .unwrap();
    run(&project);
    let original = items(&project)[0].clone();

    // The agency's full copy, under its name and a wire tag: it extends the
    // stored text, which it replaces; the headline stays the story's own.
    let wire = format!("UPDATE 1-{HEADLINE} - Calder Wire");
    std::fs::write(
        project.path("dumps/wire.txt"),
        dump_article(&wire, "2026-10-05", &story),
    )
    .unwrap();
    let second = run(&project);
    assert!(second.contains("1 updated"), "{second}");
    let items = items(&project);
    assert_eq!(items.len(), 1, "{items:#?}");
    assert_eq!(items[0]["title"], HEADLINE);
    assert_eq!(items[0]["id"], original["id"]);
    let last = story.last().unwrap();
    let tail = &last[..last.len().min(60)];
    assert!(
        items[0]["content_html"].as_str().unwrap().contains(tail),
        "the copy's text: {:#}",
        items[0]
    );
    let folds = dups_json(&project, &[]);
    assert_eq!(folds.len(), 1, "{folds:#?}");
    assert_eq!(folds[0]["replaced"], "longer");
    assert_eq!(folds[0]["copy"]["title"], wire, "the copy as it came");
    assert_eq!(folds[0]["into"]["title"], HEADLINE);

    // A copy under a headline of its own that extends the text brings it
    // along.
    let retitled = "Calder harbour deal signed, appeal expected";
    let mut longer = story.clone();
    longer.push(
        "Harbour officials said on Wednesday that the first dredging contracts would be \
         put out to tender before the end of the year, with work starting in the spring."
            .to_string(),
    );
    std::fs::write(
        project.path("dumps/partner.txt"),
        dump_article(retitled, "2026-10-06", &longer),
    )
    .unwrap();
    run(&project);
    let items = crate::items(&project);
    assert_eq!(items.len(), 1, "{items:#?}");
    assert_eq!(items[0]["id"], original["id"]);
    assert_eq!(items[0]["title"], retitled, "headline and text together");
}

#[test]
fn a_headline_cleaned_by_a_copy_stays_clean_when_a_site_copy_extends_the_text() {
    const HEADLINE: &str = "Port of Calder Approves Harbour Expansion After Year-Long Dispute";
    let story = story_paragraphs("stories/01-port-expansion.txt");
    let n = story.len();
    let project = Project::new(CONFIG);
    std::fs::create_dir_all(project.path("dumps")).unwrap();
    // First seen under the wire's tag and name; a shorter plain copy then
    // gives the story its headline without them, leaving its text.
    let copies = [
        (
            format!("UPDATE 2-{HEADLINE} - Calder Wire"),
            &story[..n - 1],
        ),
        (HEADLINE.to_string(), &story[..n - 2]),
    ];
    for (i, (headline, paragraphs)) in copies.iter().enumerate() {
        std::fs::write(
            project.path(&format!("dumps/copy-{i}.txt")),
            dump_article(headline, "2026-10-05", paragraphs),
        )
        .unwrap();
        run(&project);
    }
    assert_eq!(items(&project)[0]["title"], HEADLINE);

    // A site's copy of the whole story under the headline and its name
    // replaces the text; the story keeps its clean headline.
    std::fs::write(
        project.path("dumps/site.txt"),
        dump_article(&format!("{HEADLINE} | Island Times"), "2026-10-05", &story),
    )
    .unwrap();
    let last = run(&project);
    assert!(last.contains("1 updated"), "{last}");
    let items = items(&project);
    assert_eq!(items.len(), 1, "{items:#?}");
    assert_eq!(items[0]["title"], HEADLINE);
}

#[test]
fn the_seed_dump_runs_into_its_two_stories_and_folds_nothing() {
    let Some(seeds) = common::shared::shared_dir("seeds") else {
        return;
    };
    let seed = seeds.join("000_16c5014574d5e37e.txt");
    let config = CONFIG.replace("dumps/*.txt", &seed.display().to_string());
    let project = Project::new(&config);
    let first = run(&project);
    assert!(first.contains("2 new, 0 already known"), "{first}");
    let published = items(&project);
    let mut titles: Vec<&str> = published
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    titles.sort_unstable();
    assert_eq!(
        titles,
        [
            "Bangladesh Says Student Leaders Held for Their Own Safety",
            "Khamenei Urges Belarusian President to Confront US Sanctions"
        ]
    );
    assert!(dups_json(&project, &[]).is_empty());
    let again = run(&project);
    assert!(again.contains("0 new, 2 already known"), "{again}");
    assert_eq!(items(&project), published);
}
#[test]
fn another_appeal_under_the_same_headline_and_closing_lines_stays_apart() {
    const APPEAL: &str = "Appeal for Witnesses After Burglary";
    let closing = [
        "Officers are keen to hear from anyone who was in the area at the time and saw \
         anything suspicious, or who has doorbell or dashcam footage that could help the \
         investigation.",
        "Anyone with information is asked to call 101, quoting the crime reference number, or \
         to contact Crimestoppers anonymously on 0800 555 111, where calls cannot be traced.",
        "Information can also be given through the force's website using the online \
         reporting form, which is available twenty-four hours a day.",
        "Residents are reminded to keep doors and windows locked, to use timer switches on \
         lights, and to mark valuables with a postcode.",
    ];
    let appeal = |lead: &str| {
        let mut body = vec![lead.to_string()];
        body.extend(closing.iter().map(|p| p.to_string()));
        body
    };
    let project = Project::new(CONFIG);
    project.write(
        "dumps/appeal-1.txt",
        &dump_article(
            APPEAL,
            "2026-11-04 09:00 GMT",
            &appeal(
                "Jewellery and a laptop were taken from a house on Mill Lane, Northgate, on \
                 Sunday evening.",
            ),
        ),
    );
    run(&project);
    let first = items(&project)[0].clone();
    project.write(
        "dumps/appeal-2.txt",
        &dump_article(
            APPEAL,
            "2026-11-06 09:00 GMT",
            &appeal(
                "A bicycle and power tools were stolen from a garage on Quay Street, \
                 Harbourside, overnight on Wednesday.",
            ),
        ),
    );
    run(&project);
    let items = items(&project);
    assert_eq!(items.len(), 2, "{items:#?}");
    assert!(items.contains(&first), "the first appeal as it was");
    let html: String = items
        .iter()
        .map(|i| i["content_html"].as_str().unwrap())
        .collect();
    assert!(html.contains("Quay Street"), "{html}");
    assert!(dups_json(&project, &[]).is_empty());
}

/// Two partners' copies of one wire story, each with a local intro of its
/// own over the whole of the wire's text, under the wire's headline, in
/// two dumps of one run: one article, though the wire's own copy never
/// comes.
#[test]
fn two_partners_intros_over_the_whole_story_under_its_headline_are_one_article() {
    const HEADLINE: &str = "Port of Calder Approves Harbour Expansion After Year-Long Dispute";
    let story = story_paragraphs("stories/01-port-expansion.txt");
    let introduced = |intro: &str| {
        let mut body = vec![intro.to_string()];
        body.extend(story.iter().cloned());
        dump_article(HEADLINE, "2026-10-05 09:10 UTC", &body)
    };
    let project = Project::new(CONFIG);
    project.write(
        "dumps/saltmarsh-gazette.txt",
        &introduced(
            "Fishermen in Saltmarsh said on Tuesday that the protected quay was what they had \
             asked for from the start, and that the deal had been a long time coming.",
        ),
    );
    project.write(
        "dumps/estuary-post.txt",
        &introduced(
            "Traders on the Calder quayside, who have watched cargo go to bigger harbours \
             down the coast for a decade, said the vote gave them hope for the first time.",
        ),
    );
    run(&project);
    let items = items(&project);
    assert_eq!(items.len(), 1, "{items:#?}");
    let folds = dups_json(&project, &[]);
    assert_eq!(folds.len(), 1, "{folds:#?}");
    assert_eq!(folds[0]["rule"], "shared-lead", "{:#}", folds[0]);
    assert_eq!(
        folds[0]["evidence"],
        "contained: 9 of 10 paragraphs, one new paragraph on top"
    );
    assert!(folds[0]["replaced"].is_null(), "{:#}", folds[0]);
}

#[test]
fn a_dated_copy_weeks_older_folds_into_a_story_first_seen_undated() {
    let body = story_paragraphs("stories/03-museum-roof.txt");
    let headline = "Museum Roof Repairs to Close Galleries Until Spring";
    let weeks_ago = (chrono::Utc::now() - chrono::Duration::days(40))
        .format("%Y-%m-%d 09:00 GMT")
        .to_string();
    let undated = format!("{headline}\n\n{}\n\n", body.join("\n\n"));
    let dated = dump_article(&format!("{headline} - Calder Herald"), &weeks_ago, &body);
    for (first, second) in [(&undated, &dated), (&dated, &undated)] {
        let project = Project::new(CONFIG);
        project.write("dumps/1-first.txt", first);
        run(&project);
        project.write("dumps/2-second.txt", second);
        run(&project);
        let items = items(&project);
        assert_eq!(items.len(), 1, "{items:#?}");
        let folds = dups_json(&project, &[]);
        assert_eq!(folds.len(), 1, "{folds:#?}");
    }
}

const MATERNITY: &str = "Riverside Hospital to Open Maternity Wing in Spring";

/// A story of eight paragraphs: a lead, six more, a last one (the
/// fixture's text after its headline, `MATERNITY`).
fn maternity() -> Vec<String> {
    let text = std::fs::read_to_string(fixtures().join("texts/maternity-wing.txt")).unwrap();
    let (headline, body) = text.split_once("\n\n").unwrap();
    assert_eq!(headline, MATERNITY);
    body.trim_end().split("\n\n").map(String::from).collect()
}

#[test]
fn a_story_retitled_with_its_lead_respelled_and_a_paragraph_added_or_cut_is_one_story() {
    let story = maternity();
    let mut respelled = story.clone();
    respelled[0] = story[0].replace("in labour", "in labor");
    assert_ne!(respelled[0], story[0]);

    // An update the scraper writes over the same file: a new headline, the
    // lead respelled, a paragraph appended, an update line.
    let project = Project::new(CONFIG);
    project.write(
        "dumps/maternity.txt",
        &dump_article(MATERNITY, "2026-11-04 10:00 GMT", &story),
    );
    run(&project);
    let first = items(&project)[0].clone();
    let mut update = respelled.clone();
    update.push(
        "On Friday the board said it had now filled all sixty midwife posts, and that the \
         first mothers would be admitted to the wing on the second of April."
            .into(),
    );
    project.write(
        "dumps/maternity.txt",
        &dump_article(
            "Maternity Wing Opening Confirmed as Midwife Posts Are Filled",
            "2026-11-04 10:00 GMT\nUpdated: 2026-11-06 09:00 GMT",
            &update,
        ),
    );
    run(&project);
    let updated = items(&project);
    assert_eq!(updated.len(), 1, "{updated:#?}");
    assert_eq!(updated[0]["id"], first["id"], "the story keeps its id");
    assert_eq!(updated[0]["date_published"], first["date_published"]);
    assert_ne!(updated[0]["date_modified"], first["date_modified"]);
    let html = updated[0]["content_html"].as_str().unwrap();
    assert!(html.contains("all sixty midwife posts"), "{html}");
    let folds = dups_json(&project, &[]);
    assert_eq!(folds.len(), 1, "{folds:#?}");
    assert_eq!(folds[0]["replaced"], "longer", "{folds:#?}");

    // A partner's copy: its own headline, the lead respelled, the last
    // paragraph cut. Folded, replacing nothing; seen first, the story
    // extends it.
    let partner = dump_article(
        "Valley mothers to give birth closer to home",
        "2026-11-05 06:00 GMT",
        &respelled[..7],
    );
    let original = dump_article(MATERNITY, "2026-11-04 10:00 GMT", &story);
    for (a, b, replaced) in [
        (&original, &partner, Value::Null),
        (&partner, &original, Value::from("longer")),
    ] {
        let project = Project::new(CONFIG);
        project.write("dumps/1.txt", a);
        run(&project);
        let first = items(&project);
        project.write("dumps/2.txt", b);
        run(&project);
        let now = items(&project);
        assert_eq!(now.len(), 1, "{now:#?}");
        assert_eq!(now[0]["id"], first[0]["id"]);
        if replaced.is_null() {
            assert_eq!(now, first, "the story as first seen");
        }
        let folds = dups_json(&project, &[]);
        assert_eq!(folds.len(), 1, "{folds:#?}");
        assert_eq!(folds[0]["replaced"], replaced, "{folds:#?}");
    }
}

#[test]
fn a_follow_up_whose_lead_goes_on_in_a_short_sentence_stays_apart() {
    let story = maternity();
    let mut follow_up = vec![
        "The opening of Riverside Hospital's new maternity wing has been put back until the \
         autumn after inspectors found faults in its ventilation system, the health board said \
         on Thursday."
            .to_string(),
        "Mothers will still be sent to Carrow.".to_string(),
    ];
    follow_up.extend(story[..6].iter().cloned());
    let original = dump_article(MATERNITY, "2026-11-04 10:00 GMT", &story);
    let later = dump_article(
        "Health Board Delays Riverside Maternity Wing",
        "2026-11-12 15:00 GMT",
        &follow_up,
    );
    for (a, b) in [(&original, &later), (&later, &original)] {
        let project = Project::new(CONFIG);
        project.write("dumps/1.txt", a);
        run(&project);
        project.write("dumps/2.txt", b);
        run(&project);
        let items = items(&project);
        assert_eq!(items.len(), 2, "{items:#?}");
        assert_eq!(
            find(&items, "Health Board Delays Riverside Maternity Wing").len(),
            1
        );
        assert!(dups_json(&project, &[]).is_empty());
    }
}

#[test]
fn a_follow_up_rewriting_the_stories_lead_around_it_stays_apart() {
    let story = maternity();
    let mut follow_up = vec![
        // The story's lead, eight words more: 13 bits from it, as near as
        // a word or two edited can be.
        "Midwives will challenge the staffing plan of Riverside Hospital, which will open its \
         new maternity wing in April, the health board said on Wednesday, doubling the number \
         of delivery rooms and ending the transfer of mothers in labour to hospitals in \
         neighbouring towns."
            .to_string(),
    ];
    follow_up.extend(story[1..6].iter().cloned());
    follow_up.extend(
        [
            "The midwives' union says the wing cannot open safely with forty midwives, and that \
             the board's plan to cover the gap with agency staff would leave night shifts short.",
            "The board said it would meet the union next week and that the opening date was not \
             in doubt.",
            "The ballot closes on the fourteenth of December.",
        ]
        .map(String::from),
    );
    let project = Project::new(CONFIG);
    project.write(
        "dumps/1.txt",
        &dump_article(MATERNITY, "2026-11-04 10:00 GMT", &story),
    );
    run(&project);
    project.write(
        "dumps/2.txt",
        &dump_article(
            "Midwives to Ballot on Strike Over Riverside Maternity Wing",
            "2026-11-09 08:00 GMT",
            &follow_up,
        ),
    );
    run(&project);
    let items = items(&project);
    assert_eq!(items.len(), 2, "{items:#?}");
    assert!(dups_json(&project, &[]).is_empty());
}

#[test]
fn a_local_intro_over_page_furniture_and_the_whole_story_folds() {
    let story = maternity();
    for furniture in [
        "Advertisement",
        "Read more: Riverside maternity wing in pictures",
        "Listen to this article",
    ] {
        let mut local = vec![
            "Parents in Denby, where many Riverside mothers were sent to give birth, welcomed \
             the news on Wednesday, and the town's midwives said they expected far fewer \
             transfers."
                .to_string(),
            furniture.to_string(),
        ];
        local.extend(story.iter().cloned());
        let project = Project::new(CONFIG);
        project.write(
            "dumps/1.txt",
            &dump_article(MATERNITY, "2026-11-04 10:00 GMT", &story),
        );
        run(&project);
        let first = items(&project);
        project.write(
            "dumps/2.txt",
            &dump_article(
                "Denby parents welcome the news they waited for",
                "2026-11-04 16:00 GMT",
                &local,
            ),
        );
        run(&project);
        assert_eq!(items(&project), first, "{furniture}");
        let folds = dups_json(&project, &[]);
        assert_eq!(folds.len(), 1, "{furniture}: {folds:#?}");
        assert_eq!(
            folds[0]["evidence"], "contained: 8 of 8 paragraphs, one new paragraph on top",
            "{furniture}: {folds:#?}"
        );
    }
}

/// A story of four paragraphs as a scraper writes it into a dump.
const BERTH: &str = "Harbour Board Approves Northern Berth Expansion

The harbour board voted on Monday to approve the long-delayed northern berth expansion after a \
year of talks with fishing cooperatives.

The plan adds two deep-water berths and a rail spur, and sets aside a protected quay for the \
town's fishing fleet, which had objected to earlier drafts.

Board chair Imogen Ashworth said the compromise was the best that could be reached and that \
work would begin in the spring once the final permits arrive.

Environmental groups said they would study the final plan before deciding whether to appeal \
the decision in the regional court.
";

/// [`BERTH`] as a run reads it while it is still being written: cut just
/// after `at`, mid-word.
fn berth_cut_after(at: &str) -> String {
    let end = BERTH.find(at).unwrap() + at.len();
    BERTH[..end].to_string()
}

fn whole_berth(item: &Value) -> bool {
    let html = item["content_html"].as_str().unwrap();
    html.contains("once the final permits arrive.") && html.contains("in the regional court.")
}

#[test]
fn a_dump_read_half_written_is_replaced_by_the_whole_text_on_the_next_run() {
    // Cut inside the second paragraph (a body too short for the near
    // rules) and inside the third of four.
    for cut in ["and sets as", "work would begin i"] {
        let project = Project::new(CONFIG);
        project.write("dumps/desk.txt", &berth_cut_after(cut));
        run(&project);
        let first = items(&project);
        assert_eq!(first.len(), 1, "{cut}: {first:#?}");
        project.write("dumps/desk.txt", BERTH);
        run(&project);
        let items = items(&project);
        assert_eq!(items.len(), 1, "{cut}: {items:#?}");
        assert!(whole_berth(&items[0]), "{cut}: {:#}", items[0]);
        assert_eq!(items[0]["id"], first[0]["id"], "{cut}");
        let folds = dups_json(&project, &[]);
        assert_eq!(folds.len(), 1, "{cut}: {folds:#?}");
        assert_eq!(folds[0]["rule"], "cut-copy", "{cut}: {folds:#?}");
    }
}

/// A story as a scraper writes it into a dump: the doubled header
/// (headline and caption twice), a date line and a byline, then its text.
const WAITING: &str = "Hospital Waiting Lists Fall for Third Month in a Row

Nurses at work on a ward at Calder General Hospital. Photo: Ben Ellis/Calder Herald
Nurses at work on a ward at Calder General Hospital. Photo: Ben Ellis/Calder Herald

Hospital Waiting Lists Fall for Third Month in a Row

November 12, 2026 09:00 GMT

By Priya Natarajan

Waiting lists at the region's hospitals fell for the third month in a row in October, \
according to figures published on Thursday by the health board.

The number of patients waiting more than a year for planned treatment fell to 4,120, down \
from 4,630 in September.

The health board said extra weekend clinics and a new surgical hub had helped clear the \
backlog of hip and knee operations.
";

#[test]
fn a_dump_read_before_its_first_whole_paragraph_is_replaced_by_the_whole_text() {
    // Cut after the header, and inside the first paragraph.
    for cut in ["By Priya Natarajan\n", "Waiting list"] {
        let end = WAITING.find(cut).unwrap() + cut.len();
        let project = Project::new(CONFIG);
        project.write("dumps/desk.txt", &WAITING[..end]);
        run(&project);
        let first = items(&project);
        assert_eq!(first.len(), 1, "{cut}: {first:#?}");
        project.write("dumps/desk.txt", WAITING);
        run(&project);
        let items = items(&project);
        assert_eq!(items.len(), 1, "{cut}: {items:#?}");
        let html = items[0]["content_html"].as_str().unwrap();
        assert!(html.contains("hip and knee operations."), "{cut}: {html}");
        assert_eq!(items[0]["id"], first[0]["id"], "{cut}");
        assert_eq!(
            items[0]["date_published"], first[0]["date_published"],
            "{cut}"
        );
        let folds = dups_json(&project, &[]);
        assert_eq!(folds.len(), 1, "{cut}: {folds:#?}");
        assert_eq!(folds[0]["rule"], "cut-copy", "{cut}: {folds:#?}");
        assert_eq!(folds[0]["replaced"], "longer", "{cut}: {folds:#?}");
    }
}

#[test]
fn a_header_read_after_the_whole_story_is_a_sighting_of_it() {
    let project = Project::new(CONFIG);
    project.write("dumps/1-whole.txt", WAITING);
    run(&project);
    let first = items(&project);
    assert_eq!(first.len(), 1, "{first:#?}");
    let header = "By Priya Natarajan\n";
    let end = WAITING.find(header).unwrap() + header.len();
    project.write("dumps/2-header.txt", &WAITING[..end]);
    run(&project);
    let items = items(&project);
    assert_eq!(items.len(), 1, "{items:#?}");
    assert_eq!(items[0]["id"], first[0]["id"]);
    assert_eq!(items[0]["content_html"], first[0]["content_html"]);
    let folds = dups_json(&project, &[]);
    assert_eq!(folds.len(), 1, "{folds:#?}");
    assert_eq!(folds[0]["rule"], "cut-copy", "{folds:#?}");
    assert_eq!(folds[0]["replaced"], Value::Null, "{folds:#?}");
}

#[test]
fn a_header_read_before_its_text_stays_apart_from_another_days_story_under_its_headline() {
    let project = Project::new(CONFIG);
    project.write(
        "dumps/1.txt",
        "Morning Briefing\n\nThe harbour at dawn. (Calder Herald)\n\nNovember 11, 2026\n",
    );
    run(&project);
    let today = WAITING
        .replace(
            "Hospital Waiting Lists Fall for Third Month in a Row",
            "Morning Briefing",
        )
        .replace("November 12, 2026 09:00 GMT", "November 12, 2026");
    project.write("dumps/2.txt", &today);
    run(&project);
    let items = items(&project);
    assert_eq!(items.len(), 2, "{items:#?}");
    assert!(dups_json(&project, &[]).is_empty());
}

#[test]
fn a_copy_cut_short_after_the_whole_text_keeps_the_whole_text() {
    // The store keeps no paragraph text of the whole copy, so a cut copy
    // coming after it is judged by the other rules: cut inside the third
    // of four paragraphs it shares enough of them (`shared-paragraphs`) and
    // replaces nothing. (Cut inside the second, it is too short for them and
    // is published beside the whole text, as before `cut-copy`.)
    let project = Project::new(CONFIG);
    project.write("dumps/1-whole.txt", BERTH);
    run(&project);
    project.write("dumps/2-cut.txt", &berth_cut_after("work would begin i"));
    run(&project);
    let items = items(&project);
    assert_eq!(items.len(), 1, "{items:#?}");
    assert!(whole_berth(&items[0]), "{:#}", items[0]);
    let folds = dups_json(&project, &[]);
    assert_eq!(folds.len(), 1, "{folds:#?}");
    assert_eq!(folds[0]["rule"], "shared-paragraphs", "{folds:#?}");
    assert_eq!(folds[0]["replaced"], Value::Null, "{folds:#?}");
}

#[test]
fn a_story_under_the_same_headline_and_lead_whose_text_breaks_off_elsewhere_stays_apart() {
    let lead_end = BERTH.find("The plan adds").unwrap();
    let other = format!(
        "{}Fishing cooperatives said they had not yet seen the final plan and would meet \
         on Thursday to decide whether to back it",
        &BERTH[..lead_end]
    );
    let project = Project::new(CONFIG);
    project.write("dumps/desk.txt", &other);
    run(&project);
    project.write("dumps/desk.txt", BERTH);
    run(&project);
    let items = items(&project);
    assert_eq!(items.len(), 2, "{items:#?}");
}

/// Two editions of a recurring item, a day apart, as dumps read on two
/// runs: the first, stored, and the second, which opens with the same
/// boilerplate paragraph and whose last line ends without a full stop.
fn two_editions(first: &str, second: &str) -> Vec<Value> {
    let project = Project::new(CONFIG);
    project.write("dumps/1.txt", first);
    run(&project);
    project.write("dumps/2.txt", second);
    run(&project);
    let folds = dups_json(&project, &[]);
    assert!(folds.is_empty(), "{folds:#?}");
    items(&project)
}

#[test]
fn a_shorter_edition_of_a_bulletin_is_no_copy_of_the_last_one_cut_short() {
    let intro = "Live traffic and travel news for the county, updated through the morning by \
                 our travel desk.";
    let items = two_editions(
        &format!(
            "Traffic\n2026-12-03 07:00\n\n{intro}\n\nM5 southbound closed between junctions 14 \
             and 15 after a lorry overturned, with long delays back to junction 12 and traffic \
             being diverted through Thornbury\n\nA38 at Falfield reduced to one lane for \
             resurfacing until Friday\n"
        ),
        &format!(
            "Traffic\n2026-12-04 07:00\n\n{intro}\n\nB4058 closed at Wotton after a burst water \
             main\n"
        ),
    );
    assert_eq!(items.len(), 2, "{items:#?}");
    let html = |item: &Value| item["content_html"].as_str().unwrap().to_string();
    assert!(
        items
            .iter()
            .any(|i| html(i).contains("B4058 closed at Wotton"))
    );
    assert!(items.iter().any(|i| html(i).contains("A38 at Falfield")));
}

#[test]
fn an_undated_bulletin_whose_next_edition_goes_on_from_its_last_line_stays_apart() {
    let intro = "Live traffic and travel news for Calder and the valleys, updated through the \
                 morning by our travel desk.";
    let items = two_editions(
        &format!("Traffic and travel\n\n{intro}\n\nNo incidents reported\n"),
        &format!(
            "Traffic and travel\n\n{intro}\n\nNo incidents reported on the motorway, but the A38 \
             is closed southbound at Wotton after a lorry shed its load\n\nTrains between \
             Calder and Dunmore are running normally.\n"
        ),
    );
    assert_eq!(items.len(), 2, "{items:#?}");
    let html = |item: &Value| item["content_html"].as_str().unwrap().to_string();
    assert!(items.iter().any(|i| html(i).contains("A38 is closed")));
    assert!(
        items
            .iter()
            .any(|i| html(i).trim_end().ends_with("No incidents reported</p>")),
        "{items:#?}"
    );
}

#[test]
fn the_next_days_longer_edition_does_not_replace_a_finished_item_whose_line_lacks_a_full_stop() {
    let intro = "Here is the weather forecast for Calder and the valleys from our weather desk.";
    let items = two_editions(
        &format!(
            "Weather\n2026-12-03 06:00\n\n{intro}\n\nToday: Dry and bright with highs of 9C\n"
        ),
        &format!(
            "Weather\n2026-12-04 06:00\n\n{intro}\n\nToday: Dry and bright with highs of 11C \
             and a light westerly breeze\n\nTonight: Rain spreading from the west, lows of 4C\n"
        ),
    );
    assert_eq!(items.len(), 2, "{items:#?}");
    for (day, text) in [
        ("2026-12-03", "highs of 9C"),
        ("2026-12-04", "highs of 11C"),
    ] {
        let item = items
            .iter()
            .find(|i| i["content_html"].as_str().unwrap().contains(text))
            .unwrap_or_else(|| panic!("{text}: {items:#?}"));
        assert!(
            item["date_published"].as_str().unwrap().starts_with(day),
            "{item:#}"
        );
    }
}

/// [`BERTH`] as an article page with its canonical link, cut just after
/// `at` when given (a page read while the scraper was still writing it).
fn berth_page(at: Option<&str>) -> String {
    let mut paragraphs = BERTH.split("\n\n");
    let title = paragraphs.next().unwrap();
    let body: String = paragraphs
        .map(|p| format!("<p>{}</p>\n", p.trim().replace('\n', " ")))
        .collect();
    let page = format!(
        "<!doctype html><html><head><title>{title}</title>\
         <link rel=\"canonical\" href=\"https://herald.example/news/berth\">\
         <meta property=\"article:published_time\" content=\"2026-12-04T06:00:00Z\"></head>\
         <body><article><h1>{title}</h1>\n{body}</article></body></html>\n"
    );
    match at {
        Some(at) => page[..page.find(at).unwrap() + at.len()].to_string(),
        None => page,
    }
}

#[test]
fn a_page_broken_off_is_replaced_by_the_whole_page_with_the_same_link() {
    let config = CONFIG.replace("text = \"dumps/*.txt\"", "pages = \"pages/*.html\"");
    // Cut inside the third paragraph of four, long enough that the whole
    // page does not extend the stored text by the link rule alone.
    let project = Project::new(&config);
    project.write("pages/berth.html", &berth_page(Some("work would begin i")));
    run(&project);
    let first = items(&project);
    assert_eq!(first.len(), 1, "{first:#?}");
    assert!(!whole_berth(&first[0]), "{:#}", first[0]);
    project.write("pages/berth.html", &berth_page(None));
    run(&project);
    run(&project);
    let items = items(&project);
    assert_eq!(items.len(), 1, "{items:#?}");
    assert!(whole_berth(&items[0]), "{:#}", items[0]);
    assert_eq!(items[0]["id"], first[0]["id"]);
}

#[test]
fn a_page_edited_in_place_is_listed_once_as_a_copy_folded_by_its_link() {
    let config = CONFIG.replace("text = \"dumps/*.txt\"", "pages = \"pages/*.html\"");
    let project = Project::new(&config);
    project.write("pages/berth.html", &berth_page(None));
    run(&project);
    run(&project);
    assert!(dups_json(&project, &[]).is_empty(), "the page read again");
    let respelled = berth_page(None).replace("Imogen Ashworth", "Imogen Ashwood");
    project.write("pages/berth.html", &respelled);
    run(&project);
    run(&project);
    let folds = dups_json(&project, &[]);
    assert_eq!(folds.len(), 1, "{folds:#?}");
    assert_eq!(folds[0]["rule"], "same-link", "{folds:#?}");
    assert!(
        folds[0]["copy"]["location"]
            .as_str()
            .unwrap()
            .ends_with("berth.html"),
        "{folds:#?}"
    );
    assert_eq!(items(&project).len(), 1);
}

/// The feed's items after two runs, the first over `first`, the second
/// over `second` (each one article, as [`dump_article`] writes it), with
/// no fold listed.
fn two_stories_stay_apart(first: String, second: String) -> Vec<Value> {
    let project = Project::new(CONFIG);
    project.write("dumps/a.txt", &first);
    run(&project);
    project.write("dumps/b.txt", &second);
    run(&project);
    let folds = dups_json(&project, &[]);
    assert!(folds.is_empty(), "{folds:#?}");
    items(&project)
}

fn html(items: &[Value]) -> String {
    items
        .iter()
        .map(|i| i["content_html"].as_str().unwrap())
        .collect()
}

#[test]
fn one_paragraph_stories_under_one_generic_headline_that_differ_in_their_facts_stay_apart() {
    const FIRE: &str = "Crews Tackle House Fire";
    let fire = |place: &str, time: &str, hurt: &str| {
        vec![format!(
            "Firefighters were called to a house fire on {place} at about {time} on Friday, and \
             {hurt} treated for smoke inhalation at the scene by paramedics before being taken \
             to hospital as a precaution; the cause of the fire is not yet known, and an \
             investigation will begin once the building is safe, a county fire service \
             spokesperson said."
        )]
    };
    let items = two_stories_stay_apart(
        dump_article(
            FIRE,
            "2026-11-20 08:15 UTC",
            &fire("Station Road in Westport", "2am", "two people were"),
        ),
        dump_article(
            FIRE,
            "2026-11-20 14:40 UTC",
            &fire("Church Lane in Eastport", "11am", "an elderly woman was"),
        ),
    );
    assert_eq!(items.len(), 2, "{items:#?}");
    let text = html(&items);
    assert!(text.contains("Station Road in Westport"), "{text}");
    assert!(text.contains("Church Lane in Eastport"), "{text}");

    const NOTICE: &str = "Death Notice";
    let notice = |name: &str, age: u32, spouse: &str, parent: &str| {
        vec![format!(
            "WHITCOMBE, {name}, of Calder, died peacefully at home on 14 November, aged {age}. \
             Beloved {spouse}, {parent} of Susan and Peter, and grand{parent} of five. Funeral \
             at St Anne's Church, Calder, on 28 November at 11am; family flowers only, \
             donations to the Calder Hospice."
        )]
    };
    let items = two_stories_stay_apart(
        dump_article(
            NOTICE,
            "2026-11-20 09:00 UTC",
            &notice("Eleanor Mary", 91, "wife of the late Arthur", "mother"),
        ),
        dump_article(
            NOTICE,
            "2026-11-20 09:00 UTC",
            &notice("Arthur James", 93, "husband of the late Eleanor", "father"),
        ),
    );
    assert_eq!(items.len(), 2, "{items:#?}");
    let text = html(&items);
    assert!(text.contains("Eleanor Mary"), "{text}");
    assert!(text.contains("Arthur James"), "{text}");
}

#[test]
fn a_one_paragraph_story_with_a_typo_fixed_is_still_one_story() {
    const FIRE: &str = "Crews Tackle House Fire";
    let fire = |called: &str| {
        vec![format!(
            "Firefighters were {called} to a house fire on Station Road in Westport at about \
             2am on Friday, and two people were treated for smoke inhalation at the scene by \
             paramedics before being taken to hospital as a precaution; the cause of the fire \
             is not yet known, and an investigation will begin once the building is safe, a \
             county fire service spokesperson said."
        )]
    };
    let project = Project::new(CONFIG);
    project.write(
        "dumps/a.txt",
        &dump_article(FIRE, "2026-11-20 08:15 UTC", &fire("caled")),
    );
    run(&project);
    project.write(
        "dumps/b.txt",
        &dump_article(FIRE, "2026-11-20 09:15 UTC", &fire("called")),
    );
    run(&project);
    let items = items(&project);
    assert_eq!(items.len(), 1, "{items:#?}");
    assert!(html(&items).contains("were called"), "the later text");
}

#[test]
fn short_stories_under_a_shared_series_standfirst_and_footer_stay_apart() {
    let story = |news: &str| {
        [
            "This story is part of Streets Ahead, our year-long series on how Calder gets \
             around. Read every part of the series on our transport page.",
            news,
            "Martha Quill is the Calder Herald's transport correspondent. She has covered \
             roads, rail and buses in the county for twelve years and previously reported for \
             the Westport Gazette and the Northern Echo.",
            "Sign up for our free morning newsletter to get the day's top stories from Calder \
             and the coast delivered to your inbox before 7am every weekday.",
            "Have a story for us? Contact the newsdesk in confidence on 01632 960 123 or write \
             to news@calderherald.example and a reporter will get back to you.",
        ]
        .map(String::from)
    };
    let items = two_stories_stay_apart(
        dump_article(
            "Calder Council Approves New Cycle Lane on Mill Street",
            "2026-11-20 10:00 UTC",
            &story(
                "Calder council voted on Thursday to build a protected cycle lane along Mill \
                 Street, removing 40 parking spaces between the station and the market square.",
            ),
        ),
        dump_article(
            "Bus Fares to Rise by 20p Across the County in January",
            "2026-11-20 11:30 UTC",
            &story(
                "Single bus fares across the county will rise by 20p from January, the \
                 operator Coastline Buses said, blaming higher fuel and staff costs.",
            ),
        ),
    );
    assert_eq!(items.len(), 2, "{items:#?}");
    assert!(html(&items).contains("Coastline Buses"));
    assert!(html(&items).contains("Mill Street"));
}

/// A dump file of one story: headline, caption, headline, date line (when
/// given) and paragraphs, as a desk writes it.
fn desk_story(headline: &str, dates: &str, paragraphs: &[&str]) -> String {
    format!(
        "{headline}\n\n{dates}\n\nA photo of the scene. (Calder Herald)\n\n{headline}\n\n{}\n",
        paragraphs.join("\n\n")
    )
}

/// An Atom feed of one entry, `id`, under `title` with `paragraphs` as
/// its HTML content, updated at `updated`.
fn atom_entry(id: &str, title: &str, updated: &str, paragraphs: &[String]) -> String {
    atom_entry_published(id, title, "2026-10-05T00:00:00Z", updated, paragraphs)
}

/// [`atom_entry`] published at `published`.
fn atom_entry_published(
    id: &str,
    title: &str,
    published: &str,
    updated: &str,
    paragraphs: &[String],
) -> String {
    let content: String = paragraphs
        .iter()
        .map(|p| format!("&lt;p&gt;{}&lt;/p&gt;", p.replace('&', "&amp;amp;")))
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Desk</title><id>urn:desk</id><updated>{updated}</updated>
<entry><id>{id}</id><title>{title}</title><link href="https://desk.example/{id}"/>
<published>{published}</published><updated>{updated}</updated>
<content type="html">{content}</content></entry></feed>
"#
    )
}

/// A partner's local intro over the wire's lead as it read before the
/// wire corrected a figure in it folds into the corrected story, as it
/// does when it comes before the correction.
#[test]
fn a_local_intro_over_a_leads_earlier_figure_folds_into_the_corrected_story() {
    const HEADLINE: &str = "Calder Harbour Board Approves Channel Dredging Plan";
    let lead = |figure: &str| {
        format!(
            "CALDER (Calder Wire) - The Calder Harbour Board on Tuesday approved a {figure} \
             million pound plan to deepen the main shipping channel, clearing the way for larger \
             container vessels to call at the port from 2028."
        )
    };
    let rest = [
        "Board chair Helen Achterberg said the dredging work would begin next spring and take \
         about eighteen months, with most of the cost met by a government loan.",
        "Environmental groups had objected to the plan, warning that disturbing the seabed could \
         harm shellfish beds in the outer estuary.",
        "The board said it had agreed to fund a five-year monitoring programme and to pause work \
         during the spawning season each year.",
        "Local shipping firms welcomed the decision, saying the deeper channel would protect \
         hundreds of jobs at the port.",
    ];
    let story = |top: &[String], figure: &str| -> Vec<String> {
        let mut body = top.to_vec();
        body.push(lead(figure));
        body.extend(rest.iter().map(|p| p.to_string()));
        body
    };
    let project = Project::new(
        "[publish]\ndir = \"out\"\nbase_url = \"https://news.example/\"\n\n\
         [[source]]\nname = \"wire\"\nfeed = \"upstream/wire.xml\"\n\n\
         [[source]]\nname = \"gazette\"\nfeed = \"upstream/gazette.xml\"\n\n\
         [[feed]]\nname = \"news\"\ntitle = \"News\"\n",
    );
    let wire = |figure: &str, updated: &str| {
        let entry = atom_entry("wire-8812", HEADLINE, updated, &story(&[], figure));
        project.write("upstream/wire.xml", &entry);
    };
    let intro = [
        "Westport fishermen who work the outer estuary said on Tuesday night they \
                  would watch the dredging closely, after the board gave the go-ahead to its \
                  channel plan."
            .to_string(),
    ];
    // Published in the evening, and not revised since.
    let evening = "2026-10-05T18:00:00Z";
    let partner = atom_entry_published(
        "gazette-5531",
        "Dredging Plan Approved: What It Means for Westport Fishermen",
        evening,
        evening,
        &story(&intro, "48"),
    );
    project.write(
        "upstream/gazette.xml",
        "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Gazette</title>\
         <id>urn:gazette</id><updated>2026-10-05T00:00:00Z</updated></feed>\n",
    );
    wire("48", "2026-10-05T10:00:00Z");
    run(&project);
    wire("46", "2026-10-05T12:00:00Z");
    run(&project);
    project.write("upstream/gazette.xml", &partner);
    run(&project);
    let items = items(&project);
    assert_eq!(items.len(), 1, "{items:#?}");
    assert!(html(&items).contains("46 million"), "{items:#?}");
    let folds = dups_json(&project, &[]);
    assert_eq!(folds.len(), 1, "{folds:#?}");
    assert_eq!(folds[0]["copy"]["source"], "gazette", "{folds:#?}");
    assert!(folds[0]["replaced"].is_null(), "{folds:#?}");
}

#[test]
fn a_short_undated_story_with_a_paragraph_appended_is_updated_not_published_twice() {
    // Three one-sentence paragraphs, 45 words: under the near rules'
    // shingles, but no one- or two-sentence brief.
    const HEADLINE: &str = "Water Main Burst Floods High Street";
    let mut body = vec![
        "A burst water main flooded the High Street on Friday morning, forcing a dozen shops to \
         close.",
        "Engineers from the water company said the pipe, laid in the 1930s, had split along a \
         seam.",
        "The street is expected to reopen to traffic by Saturday afternoon.",
    ];
    let project = Project::new(CONFIG);
    project.write("dumps/desk.txt", &desk_story(HEADLINE, "", &body));
    run(&project);
    let first = items(&project);
    assert_eq!(first.len(), 1, "{first:#?}");
    body.push("The water company apologised and said affected shops could claim compensation.");
    project.write("dumps/desk.txt", &desk_story(HEADLINE, "", &body));
    run(&project);
    let items = items(&project);
    assert_eq!(items.len(), 1, "{items:#?}");
    assert_eq!(items[0]["id"], first[0]["id"]);
    let html = items[0]["content_html"].as_str().unwrap();
    assert!(html.contains("claim compensation"), "{html}");
    let folds = dups_json(&project, &[]);
    assert_eq!(folds.len(), 1, "{folds:#?}");
    assert_eq!(folds[0]["rule"], "shared-paragraphs", "{folds:#?}");
    assert_eq!(folds[0]["replaced"], "longer", "{folds:#?}");
}

#[test]
fn a_dated_correction_after_an_undated_update_replaces_the_text() {
    // The update read with no date of its own is dated by the run's clock,
    // which says nothing of when the desk changed the story: the correction
    // after it, dated later than any date the story gave, is published.
    const HEADLINE: &str = "Rail Strike Halts Services Across the North";
    const PUBLISHED: &str = "December 3, 2025 08:00";
    let mut body = vec![
        "Train drivers across the north walked out on Thursday in a dispute over pay, halting \
         almost all services between Leeds and Manchester.",
        "The union said the strike would last 48 hours and warned of further action in January.",
        "Operators advised passengers not to travel and said replacement buses would run on only \
         two routes.",
        "Talks between the union and the operators broke down on Tuesday evening.",
    ];
    let project = Project::new(CONFIG);
    project.write("dumps/desk.txt", &desk_story(HEADLINE, PUBLISHED, &body));
    run(&project);
    body.push(
        "The operators said on Thursday afternoon that they were ready to return to talks at any \
         time.",
    );
    project.write("dumps/desk.txt", &desk_story(HEADLINE, PUBLISHED, &body));
    run(&project);
    let extended = items(&project);
    assert_eq!(extended.len(), 1, "{extended:#?}");
    let corrected = body[1].replace("48 hours", "72 hours");
    body[1] = &corrected;
    let dates = format!("{PUBLISHED}\nUpdated: December 4, 2025 12:00");
    project.write("dumps/desk.txt", &desk_story(HEADLINE, &dates, &body));
    run(&project);
    let items = items(&project);
    assert_eq!(items.len(), 1, "{items:#?}");
    assert_eq!(items[0]["id"], extended[0]["id"]);
    let html = items[0]["content_html"].as_str().unwrap();
    assert!(html.contains("72 hours"), "{html}");
    assert!(html.contains("return to talks"), "{html}");
    let folds = dups_json(&project, &[]);
    assert_eq!(folds.len(), 2, "{folds:#?}");
    assert_eq!(folds[1]["replaced"], "newer", "{folds:#?}");
}

#[test]
fn a_figure_corrected_in_two_words_folds_into_the_story() {
    // "forty eight" made "thirty six" moves the short paragraph's SimHash
    // further than two paragraphs of one story lie apart; its words tell
    // it is that paragraph corrected. Same date: the story keeps its text.
    const HEADLINE: &str = "Rail Strike Halts Services Across the North";
    const PUBLISHED: &str = "December 3, 2025 08:00";
    let mut body = vec![
        "Train drivers across the north walked out on Thursday in a dispute over pay, halting \
         almost all services between Leeds and Manchester.",
        "The union said the strike would last forty eight hours and warned of further action in \
         January.",
        "Operators advised passengers not to travel and said replacement buses would run on only \
         two routes.",
        "Talks between the union and the operators broke down on Tuesday evening.",
        "The operators said on Thursday afternoon that they were ready to return to talks at any \
         time.",
    ];
    let project = Project::new(CONFIG);
    project.write("dumps/desk.txt", &desk_story(HEADLINE, PUBLISHED, &body));
    run(&project);
    let first = items(&project);
    assert_eq!(first.len(), 1, "{first:#?}");
    let corrected = body[1].replace("forty eight", "thirty six");
    body[1] = &corrected;
    project.write("dumps/desk.txt", &desk_story(HEADLINE, PUBLISHED, &body));
    run(&project);
    let items = items(&project);
    assert_eq!(items.len(), 1, "{items:#?}");
    assert_eq!(items[0]["id"], first[0]["id"]);
    let folds = dups_json(&project, &[]);
    assert_eq!(folds.len(), 1, "{folds:#?}");
    assert_eq!(folds[0]["rule"], "shared-paragraphs", "{folds:#?}");
}

#[test]
fn an_edited_feed_copy_folded_into_a_story_brings_its_text_under_the_storys_headline() {
    const HEADLINE: &str = "Port of Calder Approves Harbour Expansion After Year-Long Dispute";
    let config = format!(
        "{CONFIG}\n[[source]]\nname = \"agency\"\nfeed = \"agency.atom\"\n\n\
         [[source]]\nname = \"wire\"\nfeed = \"wire.atom\"\n"
    );
    let story = story_paragraphs("stories/01-port-expansion.txt");
    let whole = story.len() - 1;
    let project = Project::new(&config);
    std::fs::create_dir_all(project.path("dumps")).unwrap();
    std::fs::write(
        project.path("dumps/desk.txt"),
        dump_article(HEADLINE, "2026-10-05", &story[..whole - 1]),
    )
    .unwrap();
    // Each feed's copy is the story under a site name or a wire tag: folded
    // in, the story keeps its text and headline.
    let agency = format!("{HEADLINE} - Calder Wire");
    let wire = format!("UPDATE 1-{HEADLINE}");
    // Dated as the dump is: no later version of it.
    let morning = "2026-10-05T00:00:00Z";
    for (file, title) in [("agency.atom", &agency), ("wire.atom", &wire)] {
        let feed = atom_entry(file, title, morning, &story[..whole - 1]);
        std::fs::write(project.path(file), feed).unwrap();
    }
    run(&project);
    let original = items(&project)[0].clone();
    assert_eq!(items(&project).len(), 1);
    assert_eq!(original["title"], HEADLINE);
    let folds = dups_json(&project, &[]);
    assert_eq!(folds.len(), 2, "{folds:#?}");
    assert!(folds.iter().all(|f| f["replaced"].is_null()), "{folds:#?}");

    // The agency's entry edited upstream, a paragraph appended: its text
    // replaces the story's, as a new copy's would; the headline stays the
    // story's own, and its fold says it replaced the text.
    let feed = atom_entry(
        "agency.atom",
        &agency,
        "2026-10-05T15:00:00Z",
        &story[..whole],
    );
    std::fs::write(project.path("agency.atom"), feed).unwrap();
    let afternoon = run(&project);
    assert!(afternoon.contains("1 updated"), "{afternoon}");
    let items = crate::items(&project);
    assert_eq!(items.len(), 1, "{items:#?}");
    assert_eq!(items[0]["id"], original["id"]);
    assert_eq!(items[0]["title"], HEADLINE, "{:#}", items[0]);
    let added = &story[whole - 1][..60];
    assert!(
        items[0]["content_html"].as_str().unwrap().contains(added),
        "the copy's text: {:#}",
        items[0]
    );
    let folds = dups_json(&project, &[]);
    assert_eq!(folds.len(), 2, "{folds:#?}");
    let agency_fold = folds.iter().find(|f| f["copy"]["source"] == "agency");
    let agency_fold = agency_fold.unwrap();
    assert_eq!(agency_fold["replaced"], "longer", "{agency_fold:#}");
    assert_eq!(agency_fold["into"]["title"], HEADLINE);
    let wire_fold = folds
        .iter()
        .find(|f| f["copy"]["source"] == "wire")
        .unwrap();
    assert!(wire_fold["replaced"].is_null(), "{wire_fold:#}");
    let (stdout, _) = text(&project.feedfold(&["dups"]));
    assert!(
        stdout.contains("replaced the stored text (longer)"),
        "{stdout}"
    );

    // The wire's entry, edited to the whole story under its next tag: the
    // tag is left off too, also once a copy's text is the story's.
    let wire = format!("UPDATE 2-{HEADLINE}");
    let feed = atom_entry("wire.atom", &wire, "2026-10-05T16:00:00Z", &story);
    std::fs::write(project.path("wire.atom"), feed).unwrap();
    run(&project);
    let items = crate::items(&project);
    assert_eq!(items.len(), 1, "{items:#?}");
    assert_eq!(items[0]["title"], HEADLINE, "{:#}", items[0]);
    let last = &story[whole][..60];
    assert!(items[0]["content_html"].as_str().unwrap().contains(last));
    // The agency's entry edited again, a word changed: a later version of
    // the text it gave, under the story's headline.
    let mut corrected = story.clone();
    corrected[0] = corrected[0].replacen("Monday", "Tuesday", 1);
    let feed = atom_entry("agency.atom", &agency, "2026-10-05T17:00:00Z", &corrected);
    std::fs::write(project.path("agency.atom"), feed).unwrap();
    run(&project);
    let items = crate::items(&project);
    assert_eq!(items[0]["title"], HEADLINE, "{:#}", items[0]);
    assert!(
        items[0]["content_html"]
            .as_str()
            .unwrap()
            .contains("Tuesday")
    );
    let folds = dups_json(&project, &[]);
    let replaced = |source: &str| {
        folds
            .iter()
            .find(|f| f["copy"]["source"] == source)
            .unwrap()["replaced"]
            .clone()
    };
    assert_eq!(replaced("wire"), "longer");
    assert_eq!(replaced("agency"), "newer");
}

/// The port story stored from the desk's dump under `headline`, beside a
/// partner's Atom feed with no entry yet: the project, the story's
/// paragraphs, and its published item.
fn port_story_and_an_empty_partner_feed(headline: &str) -> (Project, Vec<String>, Value) {
    let config = format!("{CONFIG}\n[[source]]\nname = \"partner\"\nfeed = \"partner.atom\"\n");
    let story = story_paragraphs("stories/01-port-expansion.txt");
    let project = Project::new(&config);
    std::fs::create_dir_all(project.path("dumps")).unwrap();
    std::fs::write(
        project.path("dumps/desk.txt"),
        dump_article(headline, "2026-10-05", &story),
    )
    .unwrap();
    let empty = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>Partner</title><id>urn:partner</id>
<updated>2026-10-05T00:00:00Z</updated></feed>"#;
    std::fs::write(project.path("partner.atom"), empty).unwrap();
    run(&project);
    let original = items(&project)[0].clone();
    (project, story, original)
}

#[test]
fn a_partners_copy_under_its_own_headline_is_a_sighting_whatever_update_date_it_gives() {
    const HEADLINE: &str = "Port of Calder Approves Harbour Expansion After Year-Long Dispute";
    const RETITLED: &str = "Calder harbour expansion approved by port board";
    let (project, story, original) = port_story_and_an_empty_partner_feed(HEADLINE);

    // A partner's copy published three hours later under its own headline,
    // its update date its publication date as Atom requires one: a
    // sighting; the story keeps its headline and text.
    let later = "2026-10-05T03:00:00Z";
    let feed = atom_entry_published("partner", RETITLED, later, later, &story);
    std::fs::write(project.path("partner.atom"), feed).unwrap();
    run(&project);
    let items = crate::items(&project);
    assert_eq!(items.len(), 1, "{items:#?}");
    assert_eq!(items[0]["id"], original["id"]);
    assert_eq!(items[0]["title"], HEADLINE, "{:#}", items[0]);
    let folds = dups_json(&project, &[]);
    assert_eq!(folds.len(), 1, "{folds:#?}");
    assert_eq!(folds[0]["rule"], "similar-headline");
    assert!(folds[0]["replaced"].is_null(), "{folds:#?}");

    // The story itself corrected under a rewritten headline: dated by its
    // publication and updated since, a later version of it.
    let mut corrected = story.clone();
    corrected[0] = corrected[0].replacen("Monday", "Tuesday", 1);
    let published = "2026-10-05T00:00:00Z";
    let feed = atom_entry_published("revised", RETITLED, published, later, &corrected);
    std::fs::write(project.path("partner.atom"), feed).unwrap();
    run(&project);
    let items = crate::items(&project);
    assert_eq!(items.len(), 1, "{items:#?}");
    assert_eq!(items[0]["title"], RETITLED, "{:#}", items[0]);
    let folds = dups_json(&project, &[]);
    assert!(folds.iter().any(|f| f["replaced"] == "newer"), "{folds:#?}");
}

/// A partner's local intro over the whole story, its entry revised after
/// it was published, is a sighting: the wire's text and headline stay.
#[test]
fn a_partners_local_intro_revised_after_publication_leaves_the_wires_text() {
    const HEADLINE: &str = "Port of Calder Approves Harbour Expansion After Year-Long Dispute";
    const RETITLED: &str = "Harbour expansion approved: what it means for Westport";
    let (project, story, original) = port_story_and_an_empty_partner_feed(HEADLINE);

    let mut local = vec![
        "Fishing families in Westport said on Monday night they would hold the harbour board \
         to its promise of a protected quay for their boats."
            .to_string(),
    ];
    local.extend(story.iter().cloned());
    let feed = atom_entry_published(
        "partner-77",
        RETITLED,
        "2026-10-05T06:00:00Z",
        "2026-10-05T09:00:00Z",
        &local,
    );
    std::fs::write(project.path("partner.atom"), feed).unwrap();
    run(&project);
    let items = crate::items(&project);
    assert_eq!(items.len(), 1, "{items:#?}");
    assert_eq!(items[0]["id"], original["id"]);
    assert_eq!(items[0]["title"], HEADLINE, "{:#}", items[0]);
    assert_eq!(items[0]["content_html"], original["content_html"]);
    assert_eq!(items[0]["date_modified"], original["date_modified"]);
    let folds = dups_json(&project, &[]);
    assert_eq!(folds.len(), 1, "{folds:#?}");
    assert_eq!(folds[0]["copy"]["source"], "partner", "{folds:#?}");
    assert!(folds[0]["replaced"].is_null(), "{folds:#?}");
}

#[test]
fn a_copy_without_a_link_that_replaces_the_text_leaves_the_story_its_link() {
    const HEADLINE: &str = "Port of Calder Approves Harbour Expansion After Year-Long Dispute";
    let config = format!("{CONFIG}\n[[source]]\nname = \"wire\"\nfeed = \"wire.atom\"\n");
    let story = story_paragraphs("stories/01-port-expansion.txt");
    let project = Project::new(&config);
    let morning = "2026-10-05T00:00:00Z";
    let feed = atom_entry("floods", HEADLINE, morning, &story[..story.len() - 1]);
    std::fs::write(project.path("wire.atom"), feed).unwrap();
    run(&project);
    let original = items(&project)[0].clone();
    assert_eq!(original["url"], "https://desk.example/floods");

    // A dump's copy extends the story: its text replaces the story's, and
    // the story keeps the link the dump does not give.
    std::fs::create_dir_all(project.path("dumps")).unwrap();
    std::fs::write(
        project.path("dumps/desk.txt"),
        dump_article(HEADLINE, "2026-10-05", &story),
    )
    .unwrap();
    let second = run(&project);
    assert!(second.contains("1 updated"), "{second}");
    let items = crate::items(&project);
    assert_eq!(items.len(), 1, "{items:#?}");
    assert_eq!(items[0]["id"], original["id"]);
    let last = &story[story.len() - 1][..60];
    assert!(items[0]["content_html"].as_str().unwrap().contains(last));
    assert_eq!(
        items[0]["url"], "https://desk.example/floods",
        "{:#}",
        items[0]
    );
    let folds = dups_json(&project, &[]);
    assert_eq!(folds[0]["replaced"], "longer", "{folds:#?}");
}

/// A project with the dumps of `wire` and the upstream feed
/// `upstream/NAME.xml` of source NAME, published as the feed `news`.
fn wire_and_feed(name: &str) -> Project {
    Project::new(&format!(
        "[publish]\ndir = \"out\"\nbase_url = \"https://news.example/\"\n\n\
         [[source]]\nname = \"wire\"\ntext = \"dumps/*.txt\"\n\n\
         [[source]]\nname = \"{name}\"\nfeed = \"upstream/{name}.xml\"\n\n\
         [[feed]]\nname = \"news\"\ntitle = \"News\"\n"
    ))
}

/// A partner's feed entry folded into a wire story as a copy of the same
/// text, later cut upstream to its first paragraphs, leaves the story
/// whole: a cut copy never replaces the story's text, even one whose text
/// was the story's.
#[test]
fn a_copy_cut_upstream_leaves_the_story_it_was_folded_into_whole() {
    let story = maternity();
    let project = wire_and_feed("herald");
    let herald = |paragraphs: &[String]| {
        let html: String = paragraphs.iter().map(|p| format!("<p>{p}</p>")).collect();
        format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Herald</title>\
             <link>https://herald.example/</link><description>d</description><item>\
             <title>{MATERNITY}</title><link>https://herald.example/news/8812</link>\
             <guid isPermaLink=\"false\">herald-8812</guid>\
             <pubDate>Wed, 04 Nov 2026 12:00:00 GMT</pubDate>\
             <description><![CDATA[{html}]]></description></item></channel></rss>"
        )
    };
    project.write(
        "dumps/1.txt",
        &dump_article(MATERNITY, "2026-11-04 10:00 GMT", &story),
    );
    project.write("upstream/herald.xml", &herald(&story));
    run(&project);
    let whole = items(&project);
    assert_eq!(whole.len(), 1, "{whole:#?}");
    project.write("upstream/herald.xml", &herald(&story[..2]));
    run(&project);
    let after = items(&project);
    assert_eq!(after.len(), 1, "{after:#?}");
    assert_eq!(after[0]["id"], whole[0]["id"]);
    let last = story.last().unwrap();
    assert!(
        after[0]["content_html"]
            .as_str()
            .unwrap()
            .contains(last.as_str()),
        "the story keeps its last paragraph: {:#?}",
        after[0]
    );
}

#[test]
fn a_republished_copy_with_a_note_on_where_it_first_ran_leaves_the_story_as_it_was() {
    let story = maternity();
    let project = wire_and_feed("partner");
    project.write(
        "dumps/1.txt",
        &dump_article(MATERNITY, "2026-11-04 10:00 GMT", &story),
    );
    let partner = |items: &str| {
        format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Partner</title>\
             <link>https://partner.example/</link><description>d</description>{items}</channel></rss>"
        )
    };
    project.write("upstream/partner.xml", &partner(""));
    run(&project);
    let first = items(&project);
    assert_eq!(first.len(), 1, "{first:#?}");
    let note = "This article was originally published by the Calder Gazette, an independent \
                newsroom. Read the original article on its website.";
    let html: String = story
        .iter()
        .map(String::as_str)
        .chain([note])
        .map(|p| format!("<p>{p}</p>"))
        .collect();
    project.write(
        "upstream/partner.xml",
        &partner(&format!(
            "<item><title>{MATERNITY}</title><link>https://partner.example/news/77</link>\
             <pubDate>Thu, 05 Nov 2026 09:00:00 GMT</pubDate>\
             <description><![CDATA[{html}]]></description></item>"
        )),
    );
    run(&project);
    let after = items(&project);
    assert_eq!(after.len(), 1, "the copy folds: {after:#?}");
    assert_eq!(after[0]["id"], first[0]["id"]);
    assert_eq!(after[0]["content_html"], first[0]["content_html"]);
    assert_eq!(after[0]["date_modified"], first[0]["date_modified"]);
}

/// The port story as a dump holds it, under `headline`: a captioned
/// photo, its date line and paragraphs.
fn captioned_dump(headline: &str, paragraphs: &[String]) -> String {
    const CAPTION: &str = "Cranes on the Calder quay on Monday. (Calder Herald)";
    format!(
        "{headline}\n\n{CAPTION}\n{CAPTION}\n\n2026-10-05\n\n{}\n\n",
        paragraphs.join("\n\n")
    )
}

/// A project with `dump` stored by a first run, then set to read the feed
/// `file` too.
fn dump_then_feed(file: &str, dump: &str) -> Project {
    let project = Project::new(CONFIG);
    std::fs::create_dir_all(project.path("dumps")).unwrap();
    std::fs::write(project.path("dumps/desk.txt"), dump).unwrap();
    run(&project);
    let config = format!("{CONFIG}\n[[source]]\nname = \"site\"\nfeed = \"{file}\"\n");
    project.write("config.toml", &config);
    project
}

#[test]
fn a_feeds_copy_that_adds_only_related_links_leaves_the_stored_story_as_it_was() {
    const HEADLINE: &str = "Port of Calder Approves Harbour Expansion After Year-Long Dispute";
    let story = story_paragraphs("stories/01-port-expansion.txt");
    let project = dump_then_feed("site.rss", &captioned_dump(HEADLINE, &story));
    let before = items(&project);
    // The site's copy: the same paragraphs, with a list of links to other
    // stories under a "Related:" label in the middle.
    let site_rss = |paragraphs: &[String]| {
        let mut content: Vec<String> = paragraphs.iter().map(|p| format!("<p>{p}</p>")).collect();
        content.insert(
            2,
            "<p><strong>Related:</strong></p><ul>\
         <li><a href=\"https://site.example/ferry\">Ferry operator orders two hybrid vessels \
         for the island routes after years of breakdowns</a></li>\
         <li><a href=\"https://site.example/fares\">Bus fares across the Calder Valley will rise \
         by ten percent in January, operators confirm</a></li></ul>"
                .to_string(),
        );
        format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\" \
             xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel><title>Site</title>\
             <link>https://site.example/</link><description>d</description><item>\
             <title>{HEADLINE}</title><link>https://site.example/port</link>\
             <pubDate>Mon, 05 Oct 2026 00:00:00 GMT</pubDate>\
             <content:encoded><![CDATA[{}]]></content:encoded></item></channel></rss>",
            content.concat()
        )
    };
    std::fs::write(project.path("site.rss"), site_rss(&story)).unwrap();
    run(&project);
    let after = items(&project);
    assert_eq!(after.len(), 1, "{after:#?}");
    assert_eq!(after[0]["content_html"], before[0]["content_html"]);
    let folds = dups_json(&project, &[]);
    assert_eq!(folds.len(), 1, "{folds:#?}");
    assert!(folds[0]["replaced"].is_null(), "{folds:#?}");

    // Edited upstream with a paragraph of the story's own appended, the
    // copy extends the story and replaces its text: its HTML is published
    // without the links to other stories.
    let mut longer = story.clone();
    longer.push(
        "Harbour officials said on Wednesday that the first dredging contracts would be put \
         out to tender before the end of the year, with work starting in the spring."
            .to_string(),
    );
    std::fs::write(project.path("site.rss"), site_rss(&longer)).unwrap();
    run(&project);
    let after = items(&project);
    assert_eq!(after.len(), 1, "{after:#?}");
    let html = after[0]["content_html"].as_str().unwrap();
    assert!(html.contains("first dredging contracts"), "{html}");
    assert!(
        !html.contains("Related") && !html.contains("<li>"),
        "{html}"
    );
}

#[test]
fn a_longer_copy_without_a_picture_keeps_the_storys_photo_and_caption() {
    const HEADLINE: &str = "Port of Calder Approves Harbour Expansion After Year-Long Dispute";
    let story = story_paragraphs("stories/01-port-expansion.txt");
    let cut = &story[..story.len() - 2];
    let project = dump_then_feed("site.json", &captioned_dump(HEADLINE, cut));
    // A text-only JSON Feed with the whole story, and no picture.
    let feed = serde_json::json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Site",
        "items": [{
            "id": "port",
            "url": "https://site.example/port",
            "title": HEADLINE,
            "date_published": "2026-10-05T00:00:00Z",
            "content_text": story.join("\n\n"),
        }],
    });
    std::fs::write(project.path("site.json"), feed.to_string()).unwrap();
    run(&project);
    let items = items(&project);
    assert_eq!(items.len(), 1, "{items:#?}");
    let html = items[0]["content_html"].as_str().unwrap();
    let last = story.last().unwrap();
    assert!(html.contains(&last[..60]), "the longer text: {html}");
    assert!(
        html.contains("<figcaption>Cranes on the Calder quay on Monday."),
        "the photo's caption: {html}"
    );
    assert_eq!(dups_json(&project, &[])[0]["replaced"], "longer");
}

#[test]
fn a_clean_headline_folded_into_a_story_stored_with_a_site_name_is_published() {
    const HEADLINE: &str = "Port of Calder Approves Harbour Expansion After Year-Long Dispute";
    let story = story_paragraphs("stories/01-port-expansion.txt");
    const DAY: &str = "2026-10-05T00:00:00Z";
    let suffixed = format!("{HEADLINE} | Calder Herald");
    let project = dump_then_feed("site.atom", &captioned_dump(&suffixed, &story));
    assert_eq!(items(&project)[0]["title"], suffixed.as_str());
    std::fs::write(
        project.path("site.atom"),
        atom_entry_published("port", HEADLINE, DAY, DAY, &story),
    )
    .unwrap();
    run(&project);
    let items = items(&project);
    assert_eq!(items.len(), 1, "{items:#?}");
    assert_eq!(items[0]["title"], HEADLINE);
    let folds = dups_json(&project, &[]);
    assert_eq!(folds[0]["rule"], "folded-headline", "{folds:#?}");
    assert!(folds[0]["replaced"].is_null(), "{folds:#?}");
}

/// A wire story of seven paragraphs of two sentences each.
fn bridge_story(cost: &str) -> Vec<String> {
    [
        format!("Engineers will begin replacing the swing bridge over the Dunmore estuary in March after the regional council approved a {cost} contract on Wednesday. The deal is the largest the council has signed in a decade."),
        "The new bridge will carry two lanes of traffic and a separate cycle path, and will open to shipping in under four minutes. The current bridge, built in 1931, takes more than twenty minutes to swing open.".to_string(),
        "Council leader Priya Shah said the old crossing had failed eleven times last winter alone. \"Every breakdown cuts the town in half, and people have had enough,\" she said.".to_string(),
        "A temporary footbridge will stay open throughout the works, which are due to take two years. Drivers will be sent around the estuary by the ring road, adding about fifteen minutes to a journey.".to_string(),
        "The national roads agency is paying for half of the work. Its regional director said the bridge was one of the busiest single-lane crossings in the country.".to_string(),
        "Traders on the quay have asked for free parking in the town centre while the bridge is closed. The council said it would consider the request at its meeting next month.".to_string(),
        "The contract was won by a firm from Leith that built the new harbour crossing at Calder. Its managing director said about forty local workers would be hired for the project.".to_string(),
    ]
    .to_vec()
}

/// The paragraphs broken at each sentence, as a partner's system does.
fn split_at_sentences(paragraphs: &[String]) -> Vec<String> {
    paragraphs
        .iter()
        .flat_map(|p| {
            let end = p.find(". ").expect("two sentences");
            [p[..=end].to_string(), p[end + 2..].to_string()]
        })
        .collect()
}

/// The folds of a project that stored the bridge story from the wire and
/// then read `copy` under `headline`.
fn bridge_copy_folds(headline: &str, copy: &[String]) -> Vec<Value> {
    const HEADLINE: &str = "Dunmore swing bridge to be replaced in £48m deal";
    let (project, _) = wire_story_stored(HEADLINE, &bridge_story("£48m"));
    std::fs::write(
        project.path("dumps/partner.txt"),
        dump_article(headline, "2026-10-06", copy),
    )
    .unwrap();
    run(&project);
    assert_eq!(items(&project).len(), 1, "{headline}: {copy:#?}");
    dups_json(&project, &[])
}

#[test]
fn copies_paragraphed_anew_fold_with_a_label_a_cut_tail_or_a_joined_lead() {
    const RETITLED: &str = "Estuary crossing to be rebuilt";
    let story = bridge_story("£48m");
    let split = split_at_sentences(&story);
    let mut labelled = split.clone();
    labelled[0] = format!("Photo {}", labelled[0]);
    let cut = split_at_sentences(&story[..6]);
    let mut lead_joined = vec![story[..2].join(" ")];
    lead_joined.extend(split_at_sentences(&story[2..]));
    let mut pairs_cut: Vec<String> = story.chunks(2).map(|pair| pair.join(" ")).collect();
    pairs_cut.pop();
    let pairs_edited: Vec<String> = story
        .chunks(2)
        .map(|pair| pair.join(" ").replace("eleven times", "twelve times"))
        .collect();
    for copy in [labelled, cut, lead_joined, pairs_cut, pairs_edited] {
        let folds = bridge_copy_folds(RETITLED, &copy);
        assert_eq!(folds.len(), 1, "{copy:#?}");
        assert_eq!(folds[0]["rule"], "re-paragraphed", "{:#}", folds[0]);
        assert!(folds[0]["replaced"].is_null(), "{:#}", folds[0]);
    }
}

#[test]
fn a_correction_paragraphed_anew_folds_into_the_story_it_corrects() {
    let mut corrected = bridge_story("£52m");
    corrected.push(
        "Correction: an earlier version of this article gave the value of the contract as £48m. It is £52m."
            .to_string(),
    );
    let folds = bridge_copy_folds(
        "Dunmore swing bridge to be replaced in £52m deal",
        &split_at_sentences(&corrected),
    );
    assert_eq!(folds.len(), 1, "{folds:#?}");
    assert_eq!(
        folds[0]["into"]["title"],
        "Dunmore swing bridge to be replaced in £48m deal"
    );
}

#[test]
fn a_follow_up_over_the_storys_background_paragraphed_anew_stays_apart() {
    const HEADLINE: &str = "Dunmore swing bridge to be replaced in £48m deal";
    let story = bridge_story("£48m");
    let (project, _) = wire_story_stored(HEADLINE, &story);
    // The next day's story: a new lead of two paragraphs, opening with the
    // first one's words, over its background broken at its sentences.
    let mut follow_up = vec![
        "Engineers will begin replacing the swing bridge over the Dunmore estuary in April, a month late, after the contractor asked for more time to survey the riverbed.".to_string(),
        "The regional council agreed on Thursday to move the start of the works from March to April, saying the survey had found old pilings under the south bank.".to_string(),
    ];
    follow_up.extend(split_at_sentences(&story[1..]));
    std::fs::write(
        project.path("dumps/follow-up.txt"),
        dump_article(
            "Dunmore bridge works pushed back a month",
            "2026-10-07",
            &follow_up,
        ),
    )
    .unwrap();
    run(&project);
    assert_eq!(items(&project).len(), 2);
    assert!(dups_json(&project, &[]).is_empty());
}

/// A forecast written from one template, as a dump holds it: `place` and
/// `day` in its lead, the figures the same every day.
fn forecast(headline: &str, date: &str, place: &str, day: &str) -> String {
    let paragraphs = [
        format!(
            "{place} will see sunny spells on {day}, with a high of 7C and an overnight low of 1C."
        ),
        "Winds will be light and westerly, easing later in the evening.".to_string(),
        "There is a low chance of rain, under 20 percent, for most of the day.".to_string(),
        "The outlook for the weekend is settled, with high pressure building from the south."
            .to_string(),
    ];
    dump_article(headline, date, &paragraphs)
}

#[test]
fn forecasts_from_one_template_for_another_day_or_another_town_stay_apart() {
    let days = two_stories_stay_apart(
        forecast(
            "Halden weather forecast",
            "2026-12-03",
            "Halden",
            "Thursday",
        ),
        forecast("Halden weather forecast", "2026-12-04", "Halden", "Friday"),
    );
    let towns = two_stories_stay_apart(
        forecast("Weather forecast", "2026-12-03", "Halden", "Thursday"),
        forecast("Weather forecast", "2026-12-03", "Portmore", "Thursday"),
    );
    for (items, first, second) in [
        (days, "sunny spells on Thursday", "sunny spells on Friday"),
        (towns, "Halden will see", "Portmore will see"),
    ] {
        assert_eq!(items.len(), 2, "{items:#?}");
        let html = html(&items);
        assert!(html.contains(first) && html.contains(second), "{html}");
    }
}

/// A town's forecast from the desk's template: its lead names the town,
/// the morning's sky and the day's high; `intro`, when given, is a
/// partner's paragraph on top.
fn town_forecast(town: &str, sky: &str, high: u32, intro: Option<&str>) -> String {
    let mut paragraphs: Vec<String> = intro.map(String::from).into_iter().collect();
    paragraphs.extend([
        format!(
            "{town} will see a {sky} start to Saturday with outbreaks of rain spreading from the \
             west by late morning, and highs of {high}C."
        ),
        "Winds will be fresh to strong from the south-west, gusting up to 45 mph on exposed \
         coasts during the afternoon."
            .to_string(),
        "Overnight, temperatures will fall to around 4C under clearing skies, with a risk of \
         patchy fog inland."
            .to_string(),
        "Sunday looks drier and brighter for most, though showers may return to western areas \
         later in the day."
            .to_string(),
    ]);
    dump_article("Weather forecast", "2026-12-05 06:00 GMT", &paragraphs)
}

#[test]
fn two_towns_forecasts_with_their_own_figures_stay_apart_whichever_carries_an_intro_first() {
    let intro = "The Westmere Gazette brings you the weekend outlook from our partners at the \
                 regional weather centre, as clean-up continues after the storm.";
    let westmere = town_forecast("Westmere", "cloudy", 9, None);
    for (first, second) in [
        (
            westmere.clone(),
            town_forecast("Port Calder", "cloudy", 11, None),
        ),
        (
            westmere.clone(),
            town_forecast("Halden", "bright", 11, None),
        ),
        (
            town_forecast("Halden", "cloudy", 9, None),
            town_forecast("Westmere", "cloudy", 9, Some(intro)),
        ),
        (
            town_forecast("Westmere", "cloudy", 9, Some(intro)),
            town_forecast("Halden", "cloudy", 9, None),
        ),
    ] {
        let items = two_stories_stay_apart(first, second);
        assert_eq!(items.len(), 2, "{items:#?}");
    }
}

#[test]
fn appeals_with_one_line_leads_of_their_own_over_the_forces_closing_lines_stay_apart() {
    let closing = [
        "Anyone with information is asked to contact Calder Police on 101, quoting the crime \
         reference number, or to call Crimestoppers anonymously on 0800 555 111.",
        "Officers are also keen to view any doorbell, dashcam or CCTV footage recorded in the \
         area at the time, which may help with their inquiries.",
        "Residents are reminded to keep doors and windows locked, to mark valuables with a \
         postcode and to report any suspicious activity immediately.",
    ];
    let appeal = |headline: &str, date: &str, lead: &str| {
        let mut paragraphs = vec![lead.to_string()];
        paragraphs.extend(closing.map(String::from));
        dump_article(headline, date, &paragraphs)
    };
    const APPEAL: &str = "Appeal for Witnesses After Burglary";
    for (first, second) in [
        (APPEAL, APPEAL),
        ("Westmere House Burgled", "Port Calder Flat Burgled"),
    ] {
        let items = two_stories_stay_apart(
            appeal(
                first,
                "2026-12-05 10:00 GMT",
                "A house in Westmere was burgled on Thursday night.",
            ),
            appeal(
                second,
                "2026-12-05 15:00 GMT",
                "A flat in Port Calder was burgled on Friday evening.",
            ),
        );
        let html = html(&items);
        assert!(
            html.contains("Westmere was burgled") && html.contains("Port Calder was burgled"),
            "{html}"
        );
    }
}

const SCHOOL: &str = "Council Approves New Westmere School";

/// A short story (a lead and two paragraphs), with `note` on top, or
/// `below` it.
fn school_story(note: Option<&str>, below: bool) -> Vec<String> {
    let mut paragraphs: Vec<String> = [
        "The council has approved plans for a new primary school on the former bus depot site \
         in Westmere, ending two years of debate over the future of the land.",
        "Councillors voted seven to two in favour of the scheme on Tuesday evening, after \
         officers said the building would ease pressure on places across the town.",
        "Work is expected to begin next spring, with the school opening to its first pupils in \
         September 2028 if the timetable holds.",
    ]
    .map(String::from)
    .to_vec();
    match (note, below) {
        (Some(note), false) => paragraphs.insert(0, note.to_string()),
        (Some(note), true) => paragraphs.push(note.to_string()),
        (None, _) => {}
    }
    paragraphs
}

const UPDATED_NOTE: &str = "This story was updated at 9am to include a statement from the council.";
const EDITORS_NOTE: &str = "Editor's note: an earlier version misnamed the school.";
const CORRECTION: &str =
    "Correction: an earlier version of this article gave the wrong date for the vote.";
const NOTE_EN_FRANCAIS: &str =
    "Note de la rédaction : une version précédente de cet article comportait une erreur.";

/// The copies of one story that differ only in a one-line note, in
/// pairs, the first published before the second.
fn noted_copies() -> Vec<(Vec<String>, Vec<String>)> {
    let top = |note| school_story(Some(note), false);
    vec![
        (top(UPDATED_NOTE), top(EDITORS_NOTE)),
        (top(EDITORS_NOTE), top(UPDATED_NOTE)),
        (top(CORRECTION), top(NOTE_EN_FRANCAIS)),
        (top(NOTE_EN_FRANCAIS), top(CORRECTION)),
        (top(EDITORS_NOTE), school_story(None, false)),
        (school_story(None, false), top(UPDATED_NOTE)),
        (school_story(Some(CORRECTION), true), top(EDITORS_NOTE)),
        (top(UPDATED_NOTE), school_story(Some(CORRECTION), true)),
    ]
}

/// The one item `project` publishes: the story, with the later copy's
/// text (`later`).
fn one_story_with_the_later_text(project: &Project, later: &[String]) {
    let items = items(project);
    assert_eq!(items.len(), 1, "{items:#?}");
    let html = items[0]["content_html"].as_str().unwrap();
    for paragraph in later {
        let shown = paragraph.replace('\'', "&#39;");
        assert!(
            html.contains(paragraph.as_str()) || html.contains(&shown),
            "{paragraph}: {html}"
        );
    }
    let folds = dups_json(project, &[]);
    assert_eq!(folds.len(), 1, "{folds:#?}");
}

#[test]
fn copies_of_one_story_under_different_editors_notes_fold_by_dump_in_one_run_or_two() {
    for (first, second) in noted_copies() {
        for runs in [1, 2] {
            let project = Project::new(CONFIG);
            project.write(
                "dumps/a.txt",
                &dump_article(SCHOOL, "2026-12-05 09:00 GMT", &first),
            );
            if runs == 2 {
                run(&project);
            }
            project.write(
                "dumps/b.txt",
                &dump_article(SCHOOL, "2026-12-05 11:00 GMT", &second),
            );
            run(&project);
            one_story_with_the_later_text(&project, &second);
        }
    }
}

#[test]
fn a_feeds_copy_under_another_editors_note_folds_into_the_story_whichever_came_first() {
    let feed = |paragraphs: &[String], updated: &str| {
        atom_entry_published(
            "school-1",
            SCHOOL,
            "2026-12-05T09:00:00Z",
            updated,
            paragraphs,
        )
    };
    for (first, second) in noted_copies() {
        // The dump's copy first, the feed's updated later in the same run.
        let project = wire_and_feed("desk");
        project.write(
            "dumps/a.txt",
            &dump_article(SCHOOL, "2026-12-05 09:00 GMT", &first),
        );
        project.write("upstream/desk.xml", &feed(&second, "2026-12-05T11:00:00Z"));
        run(&project);
        one_story_with_the_later_text(&project, &second);
        // The feed's copy on one run, the dump's updated later on the next.
        let project = wire_and_feed("desk");
        project.write("upstream/desk.xml", &feed(&first, "2026-12-05T09:00:00Z"));
        run(&project);
        project.write(
            "dumps/b.txt",
            &dump_article(
                SCHOOL,
                "2026-12-05 09:00 GMT\nUpdated: 2026-12-05 11:00 GMT",
                &second,
            ),
        );
        run(&project);
        one_story_with_the_later_text(&project, &second);
    }
}

#[test]
fn a_partners_word_for_word_copy_published_later_is_a_sighting() {
    const HEADLINE: &str = "Port of Calder Approves Harbour Expansion After Year-Long Dispute";
    let story = story_paragraphs("stories/01-port-expansion.txt");
    let (project, original) = wire_story_stored(HEADLINE, &story);
    // The same words a day later: under the partner's site name, with its
    // dateline, and with the first two paragraphs run into one.
    let mut datelined = story.clone();
    datelined[0] = format!("PORTMORE (Calder Wire) - {}", story[0]);
    let mut run_together = vec![format!("{} {}", story[0], story[1])];
    run_together.extend(story[2..].iter().cloned());
    let later = [
        dump_article(&format!("{HEADLINE} | Island Times"), "2026-10-06", &story),
        dump_article(HEADLINE, "2026-10-06", &datelined),
        dump_article(HEADLINE, "2026-10-07", &run_together),
    ];
    for (i, article) in later.iter().enumerate() {
        std::fs::write(project.path(&format!("dumps/partner-{i}.txt")), article).unwrap();
    }
    run(&project);
    let items = items(&project);
    assert_eq!(items.len(), 1, "{items:#?}");
    assert_eq!(
        items[0], original,
        "its text, headline, id and dates are as first seen"
    );
    let folds = dups_json(&project, &[]);
    assert_eq!(folds.len(), 3, "{folds:#?}");
    assert!(
        folds.iter().all(|fold| fold["replaced"] == Value::Null),
        "{folds:#?}"
    );
}

const FERRY: &str = "Ferry Runs Aground Off Harrow Spit";

/// The ferry story's paragraphs, the harbour master's name as `name` is
/// spelt, its last `extra` paragraphs added to the first five.
fn ferry(name: &str, extra: usize) -> Vec<String> {
    let mut paragraphs = vec![
        "A passenger ferry ran aground off Harrow Spit early on Tuesday, and lifeboat \
         crews took 31 people off the vessel as the tide fell, the coastguard said."
            .to_string(),
        "The ferry, the Gannet, was on its first crossing of the day from Harrow to \
         Kells when it struck a sandbank in fog about half a mile from the pier."
            .to_string(),
        format!(
            "Harbour master {name} said the vessel was not holed and would be towed \
             off on the evening tide once divers had checked its hull."
        ),
        "The operator, Harrow Sound Ferries, cancelled its remaining sailings and \
         said passengers would be carried by coach around the estuary instead."
            .to_string(),
        "Passengers were taken to the lifeboat station, where volunteers served hot \
         drinks and a doctor checked two people for mild hypothermia."
            .to_string(),
    ];
    paragraphs.push(
        "The Marine Accident Investigation Branch said it had sent two inspectors to \
         Harrow to begin an inquiry into the grounding."
            .into(),
    );
    paragraphs.truncate(5 + extra);
    paragraphs
}

/// A dump of the ferry story dated yesterday at `published`, with an
/// `Updated:` line at `updated` when there is one.
fn ferry_dump(published: &str, updated: Option<&str>, paragraphs: &[String]) -> String {
    let day = chrono::Utc::now().date_naive() - chrono::Duration::days(1);
    let mut dump = format!(
        "{FERRY}\n\n{} - {published}\n",
        day.format("%A, %-d %B, %Y")
    );
    if let Some(updated) = updated {
        dump.push_str(&format!("Updated: {} {updated}\n", day.format("%-d %B %Y")));
    }
    format!("{dump}\n{}\n\n", paragraphs.join("\n\n"))
}

#[test]
fn a_newsrooms_correction_applies_whichever_copy_came_first_and_updated_never_falls_behind() {
    let config = CONFIG.replace(
        "[[feed]]",
        "[[source]]\nname = \"partner\"\ntext = \"partner/*.txt\"\n\n[[feed]]",
    );
    // A partner's cut copy published in the afternoon; the newsroom's own
    // whole story, published and updated that morning; its correction of
    // the harbour master's name, updated before the partner's copy.
    let partner = (
        "partner/ferry.txt",
        ferry_dump("13:30", None, &ferry("Ilse Marwood", 0)),
    );
    let desk = (
        "dumps/ferry.txt",
        ferry_dump("07:40", Some("10:05"), &ferry("Ilse Marwood", 1)),
    );
    let correction = (
        "dumps/ferry.txt",
        ferry_dump("07:40", Some("11:20"), &ferry("Ilse Marlwood", 1)),
    );
    let corrected = ferry("Ilse Marlwood", 1);
    for order in [
        [&partner, &desk, &correction],
        [&desk, &correction, &partner],
    ] {
        let project = Project::new(&config);
        let mut last_updated = String::new();
        for (path, dump) in order {
            project.write(path, dump);
            run(&project);
            let items = items(&project);
            assert_eq!(items.len(), 1, "{items:#?}");
            let updated = items[0]["date_modified"].as_str().unwrap().to_string();
            assert!(updated >= last_updated, "{updated} after {last_updated}");
            last_updated = updated;
        }
        let item = &items(&project)[0];
        let html = item["content_html"].as_str().unwrap();
        for paragraph in &corrected {
            assert!(
                html.contains(paragraph.as_str()),
                "{path:?}: {html}",
                path = order[0].0
            );
        }
        assert!(!html.contains("Ilse Marwood"), "{html}");
        let day = chrono::Utc::now().date_naive() - chrono::Duration::days(1);
        assert!(
            last_updated >= format!("{}T11:20:00Z", day.format("%Y-%m-%d")),
            "{last_updated}"
        );
    }
}

/// A short dated story as a scraper writes it into a dump, its lead
/// giving `figure` patients, with an `Updated:` line when `updated` names
/// one.
fn breach(figure: &str, updated: Option<&str>) -> String {
    let updated = updated.map_or(String::new(), |at| format!("Updated: {at}\n"));
    format!(
        "Hospital Trust Apologises After Data Breach

Tuesday, 1 December, 2026 - 10:00
By Martha Quill
{updated}
A sign outside Calder General Hospital on Tuesday (Calder Herald)

The hospital trust has apologised after the personal details of {figure} patients were sent to \
the wrong address.

The trust said a mistake in a mailing system meant letters meant for one patient went to \
another over a period of three weeks.

The information commissioner has been told and an investigation is under way, a spokesperson \
said.

Patients affected will be contacted by letter in the coming days and offered support.
"
    )
}

#[test]
fn a_dump_re_run_with_a_figure_in_its_lead_corrected_updates_the_story() {
    let project = Project::new(CONFIG);
    project.write("dumps/desk.txt", &breach("thousands of", None));
    run(&project);
    let first = items(&project);
    assert_eq!(first.len(), 1, "{first:#?}");
    project.write(
        "dumps/desk.txt",
        &breach(
            "more than four thousand",
            Some("Tuesday, 1 December, 2026 - 18:00"),
        ),
    );
    let stdout = run(&project);
    assert!(
        stdout.contains("0 new, 0 already known, 1 updated"),
        "{stdout}"
    );
    let items = items(&project);
    assert_eq!(items.len(), 1, "{items:#?}");
    assert_eq!(items[0]["id"], first[0]["id"]);
    assert_eq!(items[0]["date_published"], "2026-12-01T10:00:00Z");
    assert_eq!(items[0]["date_modified"], "2026-12-01T18:00:00Z");
    let html = items[0]["content_html"].as_str().unwrap();
    assert!(html.contains("more than four thousand patients"), "{html}");
    let folds = dups_json(&project, &[]);
    assert_eq!(folds.len(), 1, "{folds:#?}");
    assert_eq!(folds[0]["rule"], "shared-paragraphs", "{folds:#?}");
}

/// A library story of six paragraphs, for the copies of
/// `a_repeat_of_a_copy_the_article_never_had_as_its_text_is_an_earlier_copy`.
const LIBRARY: [&str; 6] = [
    "Ashford's central library reopened on Saturday after an eighteen-month renovation that \
     replaced its leaking roof, restored the reading room's plaster ceiling and added a lift \
     to every floor of the Victorian building.",
    "Several hundred people queued along Market Street before the doors opened at nine, and \
     the first borrowers were handed a commemorative card printed with a drawing of the \
     building as it stood when it opened in 1889.",
    "The work cost 7.2 million pounds, most of it from a heritage grant, and came in under \
     budget, the borough's head of culture, Priya Mensah, told the crowd from the front steps.",
    "A children's wing on the ground floor now holds twice as many picture books as before, \
     and the basement, closed for decades because of damp, has become a study room with \
     sixty desks.",
    "Local historians welcomed the return of the archive of the town's newspapers, which \
     had been kept in a warehouse outside the town during the renovation.",
    "The library will open on Sundays for the first time from next month, a change the \
     borough said it could afford because the new heating uses less than half the energy.",
];

/// `paragraphs` as the HTML of a feed entry's content, escaped for XML.
fn escaped_html(paragraphs: &[&str]) -> String {
    paragraphs
        .iter()
        .map(|p| format!("&lt;p&gt;{p}&lt;/p&gt;"))
        .collect()
}

/// A copy the article never had as its text, folded in without replacing
/// it, seen again elsewhere: `dups` says `earlier-copy`, even though
/// another copy replaced the article's first text.
#[test]
fn a_repeat_of_a_copy_the_article_never_had_as_its_text_is_an_earlier_copy() {
    const HEADLINE: &str = "Ashford Library Reopens After Eighteen-Month Renovation";
    const LINK: &str = "https://ashford.example/news/library-reopens";
    let project = Project::new(
        r#"
[publish]
dir = "out"
base_url = "https://news.example/"

[[source]]
name = "desk"
text = "dumps/*.txt"

[[source]]
name = "wire"
feed = "upstream/wire.atom"

[[source]]
name = "gazette"
feed = "upstream/gazette.rss"

[[source]]
name = "mirror"
text = "mirror/*.txt"

[[feed]]
name = "news"
title = "News"
"#,
    );
    let whole: Vec<String> = LIBRARY.iter().map(|p| p.to_string()).collect();
    // The desk's copy, its last paragraph cut: stored first.
    project.write(
        "dumps/desk.txt",
        &dump_article(HEADLINE, "2026-11-07", &whole[..whole.len() - 1]),
    );
    // The wire's whole copy under its own headline: replaces the text.
    project.write(
        "upstream/wire.atom",
        &format!(
            r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title><id>urn:wire</id><updated>2026-11-07T12:00:00Z</updated>
<entry><title>Crowds Queue as Restored Ashford Library Opens Its Doors</title><id>urn:wire:1</id><link href="{LINK}"/><published>2026-11-07T12:00:00Z</published><updated>2026-11-07T12:00:00Z</updated><content type="html">{}</content></entry>
</feed>
"#,
            escaped_html(&LIBRARY)
        ),
    );
    // The gazette's whole copy under the desk's headline: folded by its
    // link, it replaces nothing.
    project.write(
        "upstream/gazette.rss",
        &format!(
            r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Gazette</title><link>https://ashford.example/</link><description>News</description>
<item><title>{HEADLINE}</title><link>{LINK}</link><guid isPermaLink="false">gazette-1</guid><pubDate>Sat, 07 Nov 2026 11:30:00 GMT</pubDate><description>{}</description></item>
</channel></rss>
"#,
            escaped_html(&LIBRARY)
        ),
    );
    // The gazette's copy again, as a scraper wrote it down.
    project.write(
        "mirror/gazette.txt",
        &dump_article(HEADLINE, "2026-11-07", &whole),
    );
    run(&project);
    assert_eq!(items(&project).len(), 1, "one story");
    let folds = dups_json(&project, &[]);
    let rule_of = |source: &str| {
        folds
            .iter()
            .find(|f| f["copy"]["source"] == source)
            .unwrap_or_else(|| panic!("no fold from {source}: {folds:#?}"))
    };
    assert_eq!(rule_of("wire")["replaced"], "longer", "{folds:#?}");
    assert_eq!(rule_of("gazette")["replaced"], Value::Null, "{folds:#?}");
    assert_eq!(rule_of("mirror")["rule"], "earlier-copy", "{folds:#?}");
}

/// A lorry crash report from one template: the crash on `road` in `town`,
/// with a partner's local intro on top when `intro`.
fn crash_report(road: &str, town: &str, intro: bool) -> Vec<String> {
    let mut body = Vec::new();
    if intro {
        body.push(
            "Shopkeepers said trade had all but stopped on Wednesday as traffic queued through \
             the town for hours after the crash, with some closing early."
                .to_string(),
        );
    }
    body.push(format!(
        "A lorry carrying animal feed overturned on {road} in {town} on Wednesday, closing the \
         road in both directions for most of the day."
    ));
    body.extend(
        [
            "The driver was freed by firefighters and taken to hospital as a precaution. No \
             other vehicles were involved in the crash, which happened after the morning rush.",
            "Recovery crews had to transfer the load to another vehicle before the lorry could \
             be lifted, a job the council said would take several hours to complete safely.",
            "Drivers were advised to avoid the area and allow extra time for their journeys, and \
             local bus services were diverted along neighbouring streets.",
            "Police said the cause of the crash was under investigation and asked anyone with \
             information or dashcam footage to call 101.",
        ]
        .map(String::from),
    );
    body
}

/// Two crashes reported from one template, one of them under a partner's
/// local intro, on runs of their own in either order: two articles, whether
/// the other road and town or only the other town tells them apart.
#[test]
fn another_towns_report_from_one_template_stays_apart_from_a_partners_intro_over_one() {
    for (road, town) in [("Harlow Road", "Clitheroe"), ("Kirkgate", "Clitheroe")] {
        for partner_first in [true, false] {
            let project = Project::new(CONFIG);
            let partner = dump_article(
                "Lorry Crash Brings Town to a Standstill",
                "4 March 2025 18:00",
                &crash_report("Kirkgate", "Settle", true),
            );
            let wire = dump_article(
                "Lorry Overturns on Main Road, Causing Long Delays",
                "4 March 2025 07:10",
                &crash_report(road, town, false),
            );
            let order = if partner_first {
                [partner, wire]
            } else {
                [wire, partner]
            };
            for (i, dump) in order.iter().enumerate() {
                project.write(&format!("dumps/{i}.txt"), dump);
                run(&project);
            }
            let items = items(&project);
            assert_eq!(
                items.len(),
                2,
                "{road}, {town}, {partner_first}: {items:#?}"
            );
            let html: String = items
                .iter()
                .map(|i| i["content_html"].as_str().unwrap())
                .collect();
            assert!(html.contains(town) && html.contains("Settle"), "{html}");
            assert!(dups_json(&project, &[]).is_empty());
        }
    }
}

#[test]
fn entries_under_a_recurring_headline_with_no_text_of_their_own_stay_apart() {
    let project = Project::new(
        r#"
[publish]
dir = "out"
base_url = "https://news.example/"

[[source]]
name = "valley"
feed = "valley.xml"

[[feed]]
name = "news"
title = "News"
"#,
    );
    let item = |guid: &str, day: u32, title: &str, summary: &str, content: &str| {
        format!(
            "<item><title>{title}</title><link>https://valley.example/{guid}</link>\
             <guid>{guid}</guid><pubDate>{day:02} Dec 2026 06:00:00 GMT</pubDate>\
             {summary}{content}</item>\n"
        )
    };
    let pictured = |file: &str| {
        format!(
            "<content:encoded><![CDATA[<p><img src=\"https://valley.example/{file}\" alt=\"\"></p>]]></content:encoded>"
        )
    };
    let items_xml = [
        item(
            "weather-5",
            5,
            "Daily weather update",
            "<description>Saturday: sunny spells and light winds.</description>",
            "<content:encoded><![CDATA[<p>&nbsp;</p>]]></content:encoded>",
        ),
        item(
            "weather-4",
            4,
            "Daily weather update",
            "<description>Friday: heavy rain and gales on the coast.</description>",
            "<content:encoded><![CDATA[<p></p>]]></content:encoded>",
        ),
        item(
            "photo-5",
            5,
            "Photo of the day",
            "<description>Fishing boats return at dawn.</description>",
            &pictured("boats.jpg"),
        ),
        item(
            "photo-4",
            4,
            "Photo of the day",
            "<description>Snow on the hills above the town.</description>",
            &pictured("snow.jpg"),
        ),
        // A headline alone, nine months apart, under other ids and links.
        item("brief-3", 3, "Council meeting tonight", "", ""),
        item("brief-mar", 3, "Council meeting tonight", "", "")
            .replace("03 Dec 2026", "03 Mar 2026"),
    ];
    project.write(
        "valley.xml",
        &format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\" \
             xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel>\
             <title>Valley</title><link>https://valley.example/</link><description>Forecasts</description>\n\
             {}</channel></rss>",
            items_xml.concat()
        ),
    );
    let stdout = run(&project);
    assert!(stdout.contains("6 new"), "{stdout}");
    assert!(dups_json(&project, &[]).is_empty());
    let published = project.read("out/news.json");
    for words in [
        "Saturday: sunny",
        "Friday: heavy rain",
        "boats.jpg",
        "Fishing boats",
        "snow.jpg",
        "Snow on the hills",
    ] {
        assert!(published.contains(words), "{words}: {published}");
    }
    assert_eq!(find(&items(&project), "Council meeting tonight").len(), 2);
    // The next run knows each of them.
    let again = run(&project);
    assert!(again.contains("0 new, 6 already known"), "{again}");
}

const HARBOUR: &str = "Port Of Calder Approves Harbour Expansion";

const HARBOUR_STORY: [&str; 3] = [
    "The Port of Calder approved a harbour expansion on Monday after a year-long dispute \
     with residents over noise and traffic.",
    "Residents had opposed the plan since last autumn, arguing it would bring lorries \
     through the old town at night.",
    "The council said the new quay would open in 2028 and that night deliveries would be \
     limited to the ring road.",
];

const TRAM: &str = "Tram Extension to Calder Hospital Opens";

const TRAM_STORY: [&str; 2] = [
    "The tram extension to Calder Hospital opened to passengers on Friday morning, two \
     months behind schedule after delays to the bridge over the canal.",
    "Trams will run every eight minutes during the day, and the operator said fares on the \
     new stretch would match those on the rest of the network.",
];

/// An RSS feed of entries `(headline, link, pubDate, paragraphs)`, each
/// with an author.
fn rss_of(entries: &[(&str, &str, &str, &[&str])]) -> String {
    let items: String = entries
        .iter()
        .map(|(title, link, date, body)| {
            let html: String = body.iter().map(|p| format!("<p>{p}</p>")).collect();
            format!(
                "<item><title>{title}</title><link>{link}</link><guid>{link}</guid>\
                 <pubDate>{date}</pubDate><author>ana@calder.example (Ana Ruiz)</author>\
                 <description><![CDATA[{html}]]></description></item>"
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Calder</title>\
         <link>https://calder.example/</link><description>d</description>{items}\
         </channel></rss>"
    )
}

/// Each entry of the project's three feeds as (headline, published,
/// updated): JSON Feed, RSS (no update date) and Atom, in their order.
fn dated_entries(project: &Project) -> [Vec<(String, String, Option<String>)>; 3] {
    let rfc3339 = |d: chrono::DateTime<chrono::FixedOffset>| {
        d.with_timezone(&chrono::Utc)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    };
    let json = project
        .read("feeds/news.json")
        .parse::<Value>()
        .unwrap()
        .get("items")
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            let date = |key: &str| {
                let at = chrono::DateTime::parse_from_rfc3339(item[key].as_str()?).ok()?;
                Some(rfc3339(at))
            };
            (
                item["title"].as_str().unwrap().to_string(),
                date("date_published").unwrap(),
                date("date_modified"),
            )
        })
        .collect();
    let rss = rss::Channel::read_from(&std::fs::read(project.path("feeds/news.rss")).unwrap()[..])
        .unwrap()
        .items()
        .iter()
        .map(|item| {
            let published = chrono::DateTime::parse_from_rfc2822(item.pub_date().unwrap()).unwrap();
            (item.title().unwrap().to_string(), rfc3339(published), None)
        })
        .collect();
    let atom = atom_syndication::Feed::read_from(
        &std::fs::read(project.path("feeds/news.atom")).unwrap()[..],
    )
    .unwrap()
    .entries()
    .iter()
    .map(|entry| {
        (
            entry.title().to_string(),
            rfc3339(*entry.published().unwrap()),
            Some(rfc3339(*entry.updated())),
        )
    })
    .collect();
    [json, rss, atom]
}

#[test]
fn a_story_first_read_undated_takes_the_date_a_feed_copy_gives_in_every_feed() {
    let project = Project::new(
        r#"
[[source]]
name = "desk"
text = "dumps/*.txt"

[[source]]
name = "calder"
feed = "calder.xml"

[[feed]]
name = "news"
title = "News"
"#,
    );
    // Run 1: the harbour story from a dump with no date line, and the tram
    // story dated; the feed carries neither yet.
    project.write("calder.xml", &rss_of(&[]));
    project.write(
        "dumps/harbour.txt",
        &format!("{HARBOUR}\n\n{}\n", HARBOUR_STORY.join("\n\n")),
    );
    let tram = TRAM_STORY.map(String::from);
    project.write(
        "dumps/tram.txt",
        &dump_article(TRAM, "2026-11-20 08:00 GMT", &tram),
    );
    run(&project);
    let first = dated_entries(&project);
    for entries in &first {
        let titles: Vec<&str> = entries.iter().map(|(t, ..)| t.as_str()).collect();
        assert_eq!(titles, [HARBOUR, TRAM], "undated, dated when first seen");
    }
    let first_seen = first[0][0].1.clone();
    assert_eq!(first[0][0].2.as_deref(), Some(first_seen.as_str()));

    // Run 2: the feed dates the harbour story two months back, and gives
    // the tram story a later date, which it does not take: it has its own.
    project.write(
        "calder.xml",
        &rss_of(&[
            (
                HARBOUR,
                "https://calder.example/port",
                "Mon, 05 Oct 2026 09:15:00 +0000",
                &HARBOUR_STORY,
            ),
            (
                TRAM,
                "https://calder.example/tram",
                "Wed, 25 Nov 2026 10:00:00 +0000",
                &TRAM_STORY,
            ),
        ]),
    );
    run(&project);
    for entries in dated_entries(&project) {
        let titles: Vec<&str> = entries.iter().map(|(t, ..)| t.as_str()).collect();
        assert_eq!(titles, [TRAM, HARBOUR], "by the dates the stories have now");
        assert_eq!(
            entries[0].1, "2026-11-20T08:00:00Z",
            "the tram story's own date"
        );
        assert_eq!(
            entries[1].1, "2026-10-05T09:15:00Z",
            "the date the feed gave"
        );
        if let Some(updated) = &entries[1].2 {
            assert_eq!(
                updated, &first_seen,
                "the text is the same: `updated` stays"
            );
        }
    }
    let harbour = find(&items_in(&project), HARBOUR)[0].clone();
    assert_eq!(harbour["url"], "https://calder.example/port");
    assert_eq!(harbour["authors"][0]["name"], "Ana Ruiz");
    let folds = dups_json(&project, &[]);
    assert_eq!(folds.len(), 2, "{folds:#?}");

    // Read again, nothing moves.
    run(&project);
    assert_eq!(dated_entries(&project)[0][1].1, "2026-10-05T09:15:00Z");
}

fn items_in(project: &Project) -> Vec<Value> {
    let feed: Value = serde_json::from_str(&project.read("feeds/news.json")).unwrap();
    feed["items"].as_array().unwrap().clone()
}

/// A forecast from one template in Chinese, as a dump holds it: `city`
/// and the day's `high` in its lead, `rain` the sky it gives.
fn chinese_forecast(city: &str, rain: &str, high: &str) -> String {
    let paragraphs = [
        format!(
            "{city}气象台今天上午发布预报：今天阴有{rain}，东南风二三级，最高气温{high}℃；明天多云，最低气温8℃，早晚体感较凉。"
        ),
        "气象专家提醒，本周后期将有一次较强冷空气过程，气温明显下降，请市民及时增添衣物。"
            .to_string(),
        "受降雨影响，部分路段能见度较低，驾车出行请减速慢行，注意交通安全。".to_string(),
    ];
    dump_article("天气预报", "2026-12-03 07:30", &paragraphs)
}

/// The same in Arabic: `city` and a word of the sky (`light`) in its lead.
fn arabic_forecast(city: &str, light: &str) -> String {
    let paragraphs = [
        format!(
            "تتوقع دائرة الأرصاد الجوية أن يكون الجو في {city} اليوم غائما جزئيا مع فرصة لهطول زخات {light} من المطر، وتكون الرياح غربية معتدلة السرعة."
        ),
        "وتنصح الدائرة السائقين بتوخي الحذر على الطرق الزلقة وتخفيف السرعة عند تشكل الضباب في ساعات الصباح الباكر."
            .to_string(),
        "ومن المتوقع أن يطرأ ارتفاع طفيف على درجات الحرارة مع نهاية الأسبوع وأن يبقى الجو مستقرا في معظم المناطق."
            .to_string(),
    ];
    dump_article("نشرة الطقس", "2026-12-03 07:30", &paragraphs)
}

/// The feed items of `first` and `second` read in two runs, and the
/// folds `dups` lists.
fn read_in_turn(first: &str, second: &str) -> (Vec<Value>, Vec<Value>) {
    let project = Project::new(CONFIG);
    project.write("dumps/a.txt", first);
    run(&project);
    project.write("dumps/b.txt", second);
    run(&project);
    (items(&project), dups_json(&project, &[]))
}

#[test]
fn forecasts_for_two_towns_in_chinese_stay_apart() {
    for (first, second, towns) in [
        (
            chinese_forecast("广州市", "小雨", "14"),
            chinese_forecast("深圳市", "小雨", "14"),
            ["广州市气象台", "深圳市气象台"],
        ),
        (
            chinese_forecast("昌平区", "小雨", "14"),
            chinese_forecast("顺义区", "小雨", "14"),
            ["昌平区气象台", "顺义区气象台"],
        ),
    ] {
        let items = two_stories_stay_apart(first, second);
        assert_eq!(items.len(), 2, "{items:#?}");
        let html = html(&items);
        assert!(towns.iter().all(|town| html.contains(town)), "{html}");
    }
}

#[test]
fn a_lead_in_a_script_without_capitals_corrected_by_a_character_or_a_figure_is_one_story() {
    for (first, second) in [
        // One character put right (a homophone typo), a figure, numerals.
        (
            chinese_forecast("广州市", "小语", "14"),
            chinese_forecast("广州市", "小雨", "14"),
        ),
        (
            chinese_forecast("广州市", "小雨", "14"),
            chinese_forecast("广州市", "小雨", "15"),
        ),
        (
            chinese_forecast("广州市", "小雨", "14"),
            chinese_forecast("广州市", "小雨", "14").replace("二三级", "三四级"),
        ),
        // A letter put right in an Arabic word.
        (
            arabic_forecast("عمان", "خفيقة"),
            arabic_forecast("عمان", "خفيفة"),
        ),
    ] {
        let (items, folds) = read_in_turn(&first, &second);
        assert_eq!(items.len(), 1, "{second}: {items:#?}");
        assert_eq!(folds.len(), 1, "{folds:#?}");
    }
}

/// A Chinese story of three paragraphs under `headline`, its lead opened
/// by `dateline`.
fn chinese_story(headline: &str, dateline: &str) -> String {
    let paragraphs = [
        format!(
            "{dateline}交通运输部4日表示，全国高速公路服务区充电桩建设提速，年底前将实现服务区充电设施全覆盖。"
        ),
        "交通运输部有关负责人介绍，目前已有超过九成的服务区建成充电设施，节假日高峰期间还将增设移动充电车。"
            .to_string(),
        "各地交通部门将加强运行监测，及时发布充电排队信息，方便司机合理安排出行。".to_string(),
    ];
    dump_article(headline, "2026-12-04 09:40", &paragraphs)
}

#[test]
fn a_chinese_wire_dateline_opening_the_lead_of_a_retitled_copy_is_left_out() {
    // Without its dateline, the copy is the story's text under a headline
    // of its own (`contained`).
    for dateline in [
        "新华社北京12月4日电（记者赵红）",
        "新华社北京12月4日电 ",
        "本报北京4日电（记者 刘洋 陈晨）",
    ] {
        let (items, folds) = read_in_turn(
            &chinese_story("高速公路服务区充电设施年底全覆盖", ""),
            &chinese_story("年底前高速服务区将全部建成充电设施", dateline),
        );
        assert_eq!(items.len(), 1, "{dateline}: {items:#?}");
        assert_eq!(folds.len(), 1, "{folds:#?}");
    }
}

#[test]
fn a_japanese_story_retitled_with_its_paragraphs_run_together_in_pairs_is_one_story() {
    let paragraphs = [
        "県教育委員会は4日、来年度から県立高校の全教室に冷房を設置すると発表した。総事業費は約45億円で、夏休み前の完了を目指す。",
        "対象は県内の62校で、老朽化した校舎の改修も合わせて行う。県は国の補助金の活用も検討している。",
        "一方、保護者からは電気代の負担増を心配する声も上がっており、県は運用方法を今後詰める方針だ。",
        "教育長は記者会見で「生徒が安心して学べる環境を一日も早く整えたい」と語った。",
    ];
    let as_written = dump_article(
        "県立高校の全教室に冷房",
        "2026-12-04 11:00",
        &paragraphs.map(String::from),
    );
    let run_together = dump_article(
        "冷房、来年度に県立高校の全教室へ",
        "2026-12-04 11:00",
        &[
            format!("{}{}", paragraphs[0], paragraphs[1]),
            format!("{}{}", paragraphs[2], paragraphs[3]),
        ],
    );
    let (items, folds) = read_in_turn(&as_written, &run_together);
    assert_eq!(items.len(), 1, "{items:#?}");
    assert_eq!(folds.len(), 1, "{folds:#?}");
    assert_eq!(folds[0]["rule"], "re-paragraphed", "{folds:#?}");
}

/// A project reading the feeds `upstream/NAME.xml` of `sources`, in that
/// order, published as the feed `news`.
fn feeds_project(sources: &[&str]) -> Project {
    let sources: String = sources
        .iter()
        .map(|name| format!("[[source]]\nname = \"{name}\"\nfeed = \"upstream/{name}.xml\"\n\n"))
        .collect();
    Project::new(&format!(
        "[publish]\ndir = \"out\"\nbase_url = \"https://news.example/\"\n\n{sources}\
         [[feed]]\nname = \"news\"\ntitle = \"News\"\n"
    ))
}

/// An RSS feed of one entry: `headline`, `link` (its guid too), published
/// `date`, an Atom update date when `updated` gives one, `paragraphs`.
fn one_entry(
    headline: &str,
    link: &str,
    date: &str,
    updated: Option<&str>,
    paragraphs: &[String],
) -> String {
    let html: String = paragraphs.iter().map(|p| format!("<p>{p}</p>")).collect();
    let updated = updated
        .map(|at| format!("<atom:updated>{at}</atom:updated>"))
        .unwrap_or_default();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\
         <channel><title>t</title><link>https://feeds.example/</link><description>d</description>\
         <item><title>{headline}</title><link>{link}</link><guid>{link}</guid>\
         <pubDate>{date}</pubDate>{updated}<description><![CDATA[{html}]]></description></item>\
         </channel></rss>"
    )
}

const HOSPITAL_LINK: &str = "https://wire.example/2026/11/04/maternity-wing";

const ASHBY_INTRO: &str = "Expectant mothers in Ashby, who now face an hour's drive to the \
                           nearest labour ward, said on Tuesday they were relieved the new \
                           wing would finally open.";

/// A partner's feed entry folded into the wire's story without replacing
/// its text (under its own headline with a local intro on top and the last
/// paragraphs cut, or the story's text only retitled) is still a sighting
/// once the partner edits it: a typo fixed with no update date, or a
/// correction appended under a later update date. The wire's headline,
/// text and link stay.
#[test]
fn a_partners_copy_edited_upstream_leaves_the_wires_story_as_it_was() {
    let story = maternity();
    let local = "Ashby mothers relieved as Riverside maternity wing date is set";
    let introduced: Vec<String> = std::iter::once(ASHBY_INTRO.to_string())
        .chain(story[..6].iter().cloned())
        .collect();
    let mut typo_fixed = introduced.clone();
    typo_fixed[0] = ASHBY_INTRO.replace("an hour's", "a full hour's");
    let mut corrected = introduced.clone();
    corrected.push(
        "Correction: An earlier version of this story gave the wrong day for the open day \
         at the new wing."
            .to_string(),
    );
    let mut respelled = story.clone();
    respelled[0] = story[0].replace("in April", "in early April");
    let retitled = "Riverside opens maternity wing after long wait";
    let partner_link = "https://partner.example/local/maternity";
    // Each: the partner's headline, its first text, its edited text, and
    // the edit's update date, if it gives one.
    type Case<'a> = (&'a str, &'a [String], &'a [String], Option<&'a str>);
    let cases: [Case; 3] = [
        (local, &introduced, &typo_fixed, None),
        (local, &introduced, &corrected, Some("2026-11-04T15:00:00Z")),
        (retitled, &story, &respelled, None),
    ];
    for (headline, first, edited, updated) in cases {
        let project = feeds_project(&["wire", "partner"]);
        let date = "Wed, 04 Nov 2026 11:00:00 GMT";
        project.write(
            "upstream/wire.xml",
            &one_entry(
                MATERNITY,
                HOSPITAL_LINK,
                "Wed, 04 Nov 2026 09:30:00 GMT",
                None,
                &story,
            ),
        );
        project.write(
            "upstream/partner.xml",
            &one_entry(headline, partner_link, date, None, first),
        );
        run(&project);
        let before = items(&project);
        assert_eq!(before.len(), 1, "{headline}: {before:#?}");
        assert_eq!(before[0]["title"], MATERNITY);
        project.write(
            "upstream/partner.xml",
            &one_entry(headline, partner_link, date, updated, edited),
        );
        run(&project);
        let after = items(&project);
        assert_eq!(after.len(), 1, "{headline}: {after:#?}");
        assert_eq!(after[0]["title"], MATERNITY, "{headline}: {after:#?}");
        assert_eq!(after[0]["url"], HOSPITAL_LINK, "{headline}");
        assert_eq!(
            after[0]["content_html"], before[0]["content_html"],
            "{headline}: the wire's text stays"
        );
        let folds = dups_json(&project, &[]);
        assert!(
            folds.iter().all(|fold| fold["replaced"].is_null()),
            "{headline}: {folds:#?}"
        );
    }
}

/// Two partners each put a local intro of their own, under their own
/// headline, over the wire's story cut short, and the wire's whole copy
/// comes after the first of them: whether it comes before or after the
/// second, the story is published once with the wire's headline and whole
/// text (it extends the copy cut shortest, which it is folded into, not
/// into the other that has it in).
#[test]
fn the_wires_whole_copy_after_two_partners_intros_is_published_whatever_the_order() {
    let story = maternity();
    let harwick = "Midwives at the Harwick birth centre, which will close when the new wing \
                   opens, said on Tuesday they had been promised jobs at Riverside but had not \
                   yet been told where.";
    let partner = |intro: &str, cut: usize| -> Vec<String> {
        std::iter::once(intro.to_string())
            .chain(story[..cut].iter().cloned())
            .collect()
    };
    let date = "2026-11-04 10:00 GMT";
    let a = dump_article(
        "Harwick midwives wait to hear where they will work",
        date,
        &partner(harwick, 7),
    );
    let b = dump_article(
        "Ashby mothers relieved as Riverside maternity wing date is set",
        date,
        &partner(ASHBY_INTRO, 6),
    );
    let wire = one_entry(
        MATERNITY,
        HOSPITAL_LINK,
        "Wed, 04 Nov 2026 09:30:00 GMT",
        None,
        &story,
    );
    let empty = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title>\
                 <link>https://feeds.example/</link><description>d</description></channel></rss>";
    let last = story.last().unwrap();
    let mut published = Vec::new();
    for order in [["b", "wire", "a"], ["b", "a", "wire"]] {
        let project = Project::new(
            "[publish]\ndir = \"out\"\nbase_url = \"https://news.example/\"\n\n\
             [[source]]\nname = \"partner-a\"\ntext = \"a/*.txt\"\n\n\
             [[source]]\nname = \"partner-b\"\ntext = \"b/*.txt\"\n\n\
             [[source]]\nname = \"wire\"\nfeed = \"upstream/wire.xml\"\n\n\
             [[feed]]\nname = \"news\"\ntitle = \"News\"\n",
        );
        project.write("upstream/wire.xml", empty);
        for copy in order {
            match copy {
                "a" => project.write("a/story.txt", &a),
                "b" => project.write("b/story.txt", &b),
                _ => project.write("upstream/wire.xml", &wire),
            }
            run(&project);
        }
        let after = items(&project);
        assert_eq!(after.len(), 1, "{order:?}: {after:#?}");
        assert_eq!(after[0]["title"], MATERNITY, "{order:?}: {after:#?}");
        let html = after[0]["content_html"].as_str().unwrap().to_string();
        assert!(html.contains(last.as_str()), "{order:?}: {html}");
        published.push(html);
    }
    assert_eq!(published[0], published[1]);
}

/// A feed entry stored under its headline with a site name takes the
/// headline without it from a plain copy folded into it; the entry's own
/// edit of its text, its headline as it was, keeps the clean headline.
#[test]
fn an_entrys_edit_keeps_the_headline_a_copy_gave_it_without_the_site_name() {
    let story = maternity();
    let project = Project::new(
        "[publish]\ndir = \"out\"\nbase_url = \"https://news.example/\"\n\n\
         [[source]]\nname = \"desk\"\ntext = \"dumps/*.txt\"\n\n\
         [[source]]\nname = \"agg\"\nfeed = \"upstream/agg.xml\"\n\n\
         [[feed]]\nname = \"news\"\ntitle = \"News\"\n",
    );
    let tagged = format!("{MATERNITY} - Calder Wire");
    let link = "https://agg.example/a/123";
    let date = "Wed, 04 Nov 2026 09:45:00 GMT";
    project.write(
        "upstream/agg.xml",
        &one_entry(&tagged, link, date, None, &story),
    );
    run(&project);
    assert_eq!(items(&project)[0]["title"], tagged.as_str());
    project.write(
        "dumps/desk.txt",
        &dump_article(MATERNITY, "2026-11-04 09:30 GMT", &story[..7]),
    );
    run(&project);
    assert_eq!(items(&project)[0]["title"], MATERNITY);
    let named: Vec<String> = story
        .iter()
        .map(|p| p.replace("Okafor", "Okafur"))
        .collect();
    assert_ne!(named, story);
    project.write(
        "upstream/agg.xml",
        &one_entry(&tagged, link, date, Some("2026-11-04T13:00:00Z"), &named),
    );
    run(&project);
    let after = items(&project);
    assert_eq!(after.len(), 1, "{after:#?}");
    assert_eq!(after[0]["title"], MATERNITY, "{after:#?}");
    assert!(
        after[0]["content_html"]
            .as_str()
            .unwrap()
            .contains("Okafur")
    );
}

/// `story` as a partner's scraper gives it: its first paragraphs run into
/// one of more than 128 words (too long for its words to be kept), the
/// rest into another.
fn run_into_two(story: &[String]) -> Vec<String> {
    let mut words = 0;
    let cut = 1 + story
        .iter()
        .position(|p| {
            words += p.split_whitespace().count();
            words > 128
        })
        .expect("a story of more than 128 words");
    assert!(cut < story.len(), "paragraphs after the long one");
    vec![story[..cut].join(" "), story[cut..].join(" ")]
}

#[test]
fn a_partners_copy_with_the_first_paragraphs_run_into_one_folds_whichever_came_first() {
    const HEADLINE: &str = "Port of Calder Approves Harbour Expansion After Year-Long Dispute";
    let story = story_paragraphs("stories/01-port-expansion.txt");
    let wire = dump_article(HEADLINE, "2026-10-05", &story);
    let partner = dump_article(
        "Fishing fleet gets its own berth",
        "2026-10-05",
        &run_into_two(&story),
    );
    for (order, first, second) in [
        ("partner first", &partner, &wire),
        ("wire first", &wire, &partner),
    ] {
        let project = Project::new(CONFIG);
        std::fs::create_dir_all(project.path("dumps")).unwrap();
        std::fs::write(project.path("dumps/1.txt"), first).unwrap();
        run(&project);
        std::fs::write(project.path("dumps/2.txt"), second).unwrap();
        run(&project);
        assert_eq!(items(&project).len(), 1, "{order}");
        let folds = dups_json(&project, &[]);
        assert_eq!(folds.len(), 1, "{order}: {folds:#?}");
        assert_eq!(folds[0]["rule"], "re-paragraphed", "{order}: {folds:#?}");
    }
}

#[test]
fn a_copy_paragraphed_anew_under_the_same_headline_is_named_re_paragraphed() {
    // Its body 6 bits from the story's, where `same-headline` holds for
    // matching headlines (within twice `max_distance`) but the copy is the
    // story's words paragraphed anew.
    const HEADLINE: &str = "Dunmore Bus Fares Capped at Two Pounds for a Year";
    let story = story_paragraphs("stories/18-bus-fares.txt");
    let (project, original) = wire_story_stored(HEADLINE, &story);
    std::fs::write(
        project.path("dumps/partner.txt"),
        dump_article(HEADLINE, "2026-10-05", &run_into_two(&story)),
    )
    .unwrap();
    run(&project);
    assert_eq!(items(&project), [original]);
    let folds = dups_json(&project, &[]);
    assert_eq!(folds.len(), 1, "{folds:#?}");
    let fold = &folds[0];
    let n = story.len();
    assert_eq!(fold["rule"], "re-paragraphed", "{fold:#}");
    assert_eq!(fold["distance"], 0, "{fold:#}");
    assert_eq!(
        fold["evidence"],
        format!("contained: {n} of {n} paragraphs, shared lead")
    );
}

#[test]
fn a_copy_with_two_pairs_of_paragraphs_run_together_under_the_same_headline_is_named_re_paragraphed()
 {
    // A few paragraphs run together move the body only a few bits, where
    // `same-headline` holds: the copy is still the words paragraphed anew.
    const HEADLINE: &str = "Port of Calder Approves Harbour Expansion After Year-Long Dispute";
    let story = story_paragraphs("stories/01-port-expansion.txt");
    let (project, original) = wire_story_stored(HEADLINE, &story);
    let mut joined = vec![format!("{} {}", story[0], story[1]), story[2].clone()];
    joined.push(format!("{} {}", story[3], story[4]));
    joined.extend(story[5..].iter().cloned());
    project.write(
        "dumps/partner.txt",
        &dump_article(HEADLINE, "2026-10-05", &joined),
    );
    run(&project);
    assert_eq!(items(&project), [original]);
    let folds = dups_json(&project, &[]);
    assert_eq!(folds.len(), 1, "{folds:#?}");
    let n = story.len();
    assert_eq!(folds[0]["rule"], "re-paragraphed", "{:#}", folds[0]);
    assert_eq!(
        folds[0]["evidence"],
        format!("contained: {n} of {n} paragraphs, shared lead")
    );
}

/// A partner's entry folded into the wire's story as a copy, whose feed
/// then gives the entry's id and link to another story (a "top story"
/// slot): that story is published as one of its own, once, and the wire's
/// story stays whole, with the one fold it had.
#[test]
fn an_entry_reused_for_another_story_is_published_as_its_own() {
    const HEADLINE: &str = "Port of Calder Approves Harbour Expansion After Year-Long Dispute";
    const OTHER: &str = "Record count of wading birds on the marshes";
    let story = story_paragraphs("stories/01-port-expansion.txt");
    let other = story_paragraphs("stories/02-wading-birds.txt");
    let project = Project::new(
        "[publish]\ndir = \"out\"\nbase_url = \"https://news.example/\"\n\n\
         [[source]]\nname = \"wire\"\nfeed = \"upstream/wire.xml\"\n\n\
         [[source]]\nname = \"gazette\"\nfeed = \"upstream/gazette.xml\"\n\n\
         [[feed]]\nname = \"news\"\ntitle = \"News\"\n",
    );
    let at = "2026-10-05T10:00:00Z";
    project.write(
        "upstream/wire.xml",
        &atom_entry("wire-8812", HEADLINE, at, &story),
    );
    let partner = |title: &str, paragraphs: &[String]| {
        atom_entry_published("top-story", title, at, "2026-10-05T12:00:00Z", paragraphs)
    };
    project.write(
        "upstream/gazette.xml",
        &partner("Fishing fleet gets its own berth", &story),
    );
    run(&project);
    let original = items(&project);
    assert_eq!(original.len(), 1, "{original:#?}");
    let folds = dups_json(&project, &[]);
    assert_eq!(folds.len(), 1, "{folds:#?}");

    project.write("upstream/gazette.xml", &partner(OTHER, &other));
    for (read, expected) in [
        ("first", "1 new, 0 already known"),
        ("again", "0 new, 1 already known"),
    ] {
        let output = project.feedfold(&["run"]);
        let (stdout, stderr) = text(&output);
        assert!(output.status.success(), "{stderr}");
        assert!(stdout.contains(expected), "{read}: {stdout}");
        assert!(!stderr.contains("WARN"), "{read}: {stderr}");
        let published = items(&project);
        let titles: Vec<&str> = published
            .iter()
            .map(|item| item["title"].as_str().unwrap())
            .collect();
        assert_eq!(titles.len(), 2, "{read}: {titles:?}");
        assert!(titles.contains(&OTHER), "{read}: {titles:?}");
        assert!(
            published.iter().any(|item| item == &original[0]),
            "{read}: the wire's story as it was: {published:#?}"
        );
        assert_eq!(dups_json(&project, &[]), folds, "{read}: no fold more");
    }

    // An entry edited within its story warns of nothing.
    let mut cut = story.clone();
    cut.truncate(story.len() / 2);
    project.write(
        "upstream/gazette.xml",
        &partner("Fishing fleet gets its own berth", &cut),
    );
    let output = project.feedfold(&["run"]);
    let (_, stderr) = text(&output);
    assert!(!stderr.contains("WARN"), "{stderr}");
}

/// The port story as a wire feed gives it: the same text, and the photo
/// the dump captions (`captioned_dump`) with its picture.
fn pictured_wire_rss(headline: &str, paragraphs: &[String]) -> String {
    let html: String = paragraphs.iter().map(|p| format!("<p>{p}</p>")).collect();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\" xmlns:media=\"http://search.yahoo.com/mrss/\" \
         xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel><title>Wire</title>\
         <link>https://wire.example/</link><description>d</description><item>\
         <title>{headline}</title><link>https://wire.example/port</link>\
         <pubDate>Mon, 05 Oct 2026 00:00:00 GMT</pubDate>\
         <content:encoded><![CDATA[{html}]]></content:encoded>\
         <media:content url=\"https://img.wire.example/cranes.jpg\" medium=\"image\">\
         <media:description>Cranes on the Calder quay on Monday.</media:description>\
         <media:credit>Calder Herald</media:credit></media:content></item></channel></rss>"
    )
}

#[test]
fn a_dumps_caption_gets_the_picture_a_feed_gives_it_whichever_copy_is_read_first() {
    const HEADLINE: &str = "Port of Calder Approves Harbour Expansion After Year-Long Dispute";
    let story = story_paragraphs("stories/01-port-expansion.txt");
    let shows_the_picture = |project: &Project, order: &str| {
        let items = items(project);
        assert_eq!(items.len(), 1, "{order}: {items:#?}");
        let html = items[0]["content_html"].as_str().unwrap();
        assert!(
            html.contains("<img src=\"https://img.wire.example/cranes.jpg\"")
                && html.contains("<figcaption>Cranes on the Calder quay on Monday."),
            "{order}: {html}"
        );
        assert_eq!(html.matches("<figure>").count(), 1, "{order}: {html}");
        for file in ["out/news.rss", "out/news.atom"] {
            assert!(
                project.read(file).contains("img.wire.example/cranes.jpg"),
                "{order}: {file}"
            );
        }
    };
    // Across runs: the dump stored first, the feed read in a later run.
    let project = dump_then_feed("site.rss", &captioned_dump(HEADLINE, &story));
    std::fs::write(
        project.path("site.rss"),
        pictured_wire_rss(HEADLINE, &story),
    )
    .unwrap();
    run(&project);
    shows_the_picture(&project, "dump, then the feed a run later");
    // In one run, in either order.
    let dump_source = "[[source]]\nname = \"desk\"\ntext = \"dumps/*.txt\"\n";
    let feed_source = "[[source]]\nname = \"site\"\nfeed = \"site.rss\"\n";
    for (order, sources) in [
        ("dump first", [dump_source, feed_source]),
        ("feed first", [feed_source, dump_source]),
    ] {
        let project = Project::new(&format!(
            "[publish]\ndir = \"out\"\nbase_url = \"https://news.example/\"\n\n{}\n{}\n\
             [[feed]]\nname = \"news\"\ntitle = \"News\"\n",
            sources[0], sources[1]
        ));
        std::fs::create_dir_all(project.path("dumps")).unwrap();
        std::fs::write(
            project.path("dumps/desk.txt"),
            captioned_dump(HEADLINE, &story),
        )
        .unwrap();
        std::fs::write(
            project.path("site.rss"),
            pictured_wire_rss(HEADLINE, &story),
        )
        .unwrap();
        run(&project);
        shows_the_picture(&project, order);
    }
}
