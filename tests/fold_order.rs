//! End to end: folding one wire story across sources and runs does not
//! depend on the order its copies arrive in. The wire's story, a copy cut
//! to its first half, the story retitled and a regional paper's copy (a
//! local intro on top, its last paragraphs cut, a headline of its own) end
//! as one article in every order, across runs and within one run from
//! several sources, keeping the first sighting's id and publication date;
//! a partner's republication note never ends up in the story's text,
//! whichever copy came first; editions of a bulletin that carry a minority
//! of the last edition's items over stay editions of their own; and the
//! text a fold keeps follows the rule the README states.

mod common;

use common::{Project, text};
use serde_json::Value;

const HEADLINE: &str = "Riverside Bridge to Close for Eight Months of Repairs";
const RETITLED: &str = "Commuters face long detours as county shuts its oldest crossing";
const LOCAL_HEADLINE: &str = "Dunmore traders brace for quiet high street during bridge works";

const STORY: [&str; 9] = [
    "The Riverside Bridge, which carries about 22,000 vehicles a day across the Tamar estuary, \
     will close to traffic from the first week of March for eight months of structural \
     repairs, the county council said on Tuesday.",
    "Engineers found corrosion in the steel cables that hold up the bridge's central span \
     during a routine inspection last autumn, and a weight limit of 7.5 tonnes has been in \
     force since November while the council drew up its plans.",
    "\"We know this will be hard for the people who rely on the bridge every day, but the \
     alternative is a crossing we cannot guarantee is safe,\" said Helen Okafor, the \
     council's cabinet member for highways.",
    "The repairs, which will cost an estimated £31 million, include replacing all 48 of the \
     main suspension cables and resurfacing the deck, which was last relaid in 1994.",
    "Drivers will be sent on a diversion of about 19 miles through Kelham and Ashby Cross, \
     adding up to forty minutes to a journey that takes five minutes today, the council \
     estimates.",
    "A free shuttle bus will run across the bridge every fifteen minutes at peak times, and \
     pedestrians and cyclists will be able to use a covered walkway on the eastern side for \
     most of the works.",
    "Business groups on both banks have asked for the work to be done in stages so that one \
     lane can stay open, but engineers said the cables could only be replaced safely with the \
     deck clear of traffic.",
    "The council said it would publish a detailed timetable for each phase of the works next \
     month and would hold drop-in sessions in the libraries at Kelham and Dunmore.",
    "The bridge opened in 1961 and was the longest suspension span in the region until the \
     Severn crossing was completed five years later.",
];

const LOCAL_INTRO: &str = "Shopkeepers in Dunmore, the market town at the bridge's northern \
                           end, said on Wednesday that they expected trade to fall sharply \
                           while the crossing is shut, and asked the county for signs \
                           pointing drivers to the high street.";

/// One article as a dump holds it: headline, date line, paragraphs.
fn dump_article(headline: &str, date: &str, paragraphs: &[String]) -> String {
    format!("{headline}\n{date}\n\n{}\n\n", paragraphs.join("\n\n"))
}

fn story() -> Vec<String> {
    STORY.map(String::from).to_vec()
}

/// A copy as one source gives it.
#[derive(Clone, Debug)]
struct Copy {
    name: &'static str,
    headline: &'static str,
    date: &'static str,
    paragraphs: Vec<String>,
}

impl Copy {
    fn dump(&self) -> String {
        dump_article(self.headline, self.date, &self.paragraphs)
    }
}

/// The wire's story and three copies of it.
fn copies() -> Vec<Copy> {
    let story = story();
    let mut local = vec![LOCAL_INTRO.to_string()];
    local.extend(story[..6].iter().cloned());
    vec![
        Copy {
            name: "wire",
            headline: HEADLINE,
            date: "2026-10-05",
            paragraphs: story.clone(),
        },
        Copy {
            name: "truncated",
            headline: HEADLINE,
            date: "2026-10-05",
            paragraphs: story[..5].to_vec(),
        },
        Copy {
            name: "retitled",
            headline: RETITLED,
            date: "2026-10-05",
            paragraphs: story.clone(),
        },
        Copy {
            name: "regional",
            headline: LOCAL_HEADLINE,
            date: "2026-10-06",
            paragraphs: local,
        },
    ]
}

/// Every order of `items`.
fn permutations<T: Clone>(items: &[T]) -> Vec<Vec<T>> {
    if items.len() <= 1 {
        return vec![items.to_vec()];
    }
    let mut all = Vec::new();
    for i in 0..items.len() {
        let mut rest = items.to_vec();
        let first = rest.remove(i);
        for mut tail in permutations(&rest) {
            tail.insert(0, first.clone());
            all.push(tail);
        }
    }
    all
}

/// A config with one text source per name, in that order, each reading
/// `dumps/NAME.txt`.
fn config(names: &[&str]) -> String {
    let mut config = String::from(
        "[publish]\ndir = \"out\"\nbase_url = \"https://news.example/\"\n\n\
         [[feed]]\nname = \"news\"\ntitle = \"News\"\n",
    );
    for name in names {
        config.push_str(&format!(
            "\n[[source]]\nname = \"{name}\"\ntext = \"dumps/{name}.txt\"\n"
        ));
    }
    config
}

fn run(project: &Project) {
    let output = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&output);
    assert!(
        output.status.success(),
        "stdout: {stdout}\nstderr: {stderr}"
    );
}

fn items(project: &Project) -> Vec<Value> {
    let feed: Value = serde_json::from_str(&project.read("out/news.json")).unwrap();
    feed["items"].as_array().unwrap().clone()
}

/// The project with `order`'s copies written, each to its own source.
fn project_of(order: &[Copy]) -> Project {
    let names: Vec<&str> = order.iter().map(|c| c.name).collect();
    let project = Project::new(&config(&names));
    std::fs::create_dir_all(project.path("dumps")).unwrap();
    for name in names {
        project.write(&format!("dumps/{name}.txt"), "");
    }
    project
}

fn write(project: &Project, copy: &Copy) {
    project.write(&format!("dumps/{}.txt", copy.name), &copy.dump());
}

fn describe(order: &[Copy]) -> String {
    order.iter().map(|c| c.name).collect::<Vec<_>>().join(", ")
}

/// The feed's items once `order`'s copies are read, asserting that they
/// are one item (the titles and ids of all of them shown when not).
fn the_one_item(project: &Project, order: &[Copy]) -> Vec<Value> {
    let items = items(project);
    assert_eq!(
        items.len(),
        1,
        "{}: {:#?}",
        describe(order),
        items
            .iter()
            .map(|i| (&i["title"], &i["id"]))
            .collect::<Vec<_>>()
    );
    items
}

#[test]
fn the_wire_story_and_its_copies_are_one_article_in_every_order_across_runs() {
    for order in permutations(&copies()) {
        let project = project_of(&order);
        let mut first: Option<Value> = None;
        for copy in &order {
            write(&project, copy);
            run(&project);
            if first.is_none() {
                first = Some(items(&project)[0].clone());
            }
        }
        let first = first.unwrap();
        let items = the_one_item(&project, &order);
        assert_eq!(items[0]["id"], first["id"], "{}", describe(&order));
        assert_eq!(
            items[0]["date_published"],
            first["date_published"],
            "{}",
            describe(&order)
        );
    }
}

#[test]
fn the_wire_story_and_its_copies_are_one_article_in_every_order_within_one_run() {
    for order in permutations(&copies()) {
        let project = project_of(&order);
        for copy in &order {
            write(&project, copy);
        }
        run(&project);
        let items = the_one_item(&project, &order);
        let published = if order[0].date == "2026-10-06" {
            "2026-10-06"
        } else {
            "2026-10-05"
        };
        assert!(
            items[0]["date_published"]
                .as_str()
                .unwrap()
                .starts_with(published),
            "{}: {}",
            describe(&order),
            items[0]["date_published"]
        );
    }
}

const ORIGINALLY: &str = "This article originally appeared on the Tamar Valley Times and is \
                          republished here with permission.";
const FIRST_PUBLISHED: &str = "This story was first published by the Tamar Valley Times.";

/// The text the one published item shows.
fn the_one_text(project: &Project, what: &str) -> String {
    let items = items(project);
    assert_eq!(items.len(), 1, "{what}: {items:#?}");
    items[0]["content_html"].as_str().unwrap().to_string()
}

#[test]
fn a_partners_republication_note_stays_out_of_the_story_whichever_copy_came_first() {
    let story = story();
    let mut below = story.clone();
    below.push(ORIGINALLY.to_string());
    let mut above = vec![FIRST_PUBLISHED.to_string()];
    above.extend(story.iter().cloned());
    for (note, republished) in [(ORIGINALLY, below), (FIRST_PUBLISHED, above)] {
        let original = Copy {
            name: "wire",
            headline: HEADLINE,
            date: "2026-10-05 09:00 GMT",
            paragraphs: story.clone(),
        };
        let partner = Copy {
            name: "partner",
            headline: HEADLINE,
            date: "2026-10-05 15:00 GMT",
            paragraphs: republished,
        };
        let mut texts = Vec::new();
        for order in [
            vec![original.clone(), partner.clone()],
            vec![partner.clone(), original.clone()],
        ] {
            for runs in [1, 2] {
                let project = project_of(&order);
                write(&project, &order[0]);
                if runs == 2 {
                    run(&project);
                }
                write(&project, &order[1]);
                run(&project);
                let what = format!("{} in {runs} run(s)", describe(&order));
                let text = the_one_text(&project, &what);
                let shown = note
                    .split_whitespace()
                    .take(4)
                    .collect::<Vec<_>>()
                    .join(" ");
                assert!(!text.contains(&shown), "{what}: {text}");
                texts.push((what, text));
            }
        }
        for (what, text) in &texts[1..] {
            assert_eq!(*text, texts[0].1, "{what} against {}", texts[0].0);
        }
    }
}

const BRIEFING: &str = "Morning Briefing";

const ITEMS: [&str; 8] = [
    "Rail: Services between Kelham and the coast are running to a reduced timetable until \
     Thursday while engineers replace a signalling cable damaged in last week's storm.",
    "Schools: Parents have until Friday to apply for a place at the new Westmere primary, \
     which opens in September with room for 210 pupils across seven classes.",
    "Health: The walk-in centre on Station Road will stay open until 10pm on weekdays this \
     winter after a rise in the number of patients turned away at closing time.",
    "Weather: A band of heavy rain moves in from the west this afternoon, with up to 30mm \
     expected on high ground and a yellow warning in force for the hills overnight.",
    "Sport: Calder Town face a replay against Ashby Rovers after Saturday's cup tie was \
     abandoned at half time because of a waterlogged pitch at the Riverside ground.",
    "Council: Councillors meet on Wednesday evening to vote on a plan to turn the old \
     library into a community hub with a cafe, a clinic and rooms for local groups.",
    "Business: The Harbour Bakery is to open a second shop in Dunmore next month, creating \
     twelve jobs, after a year in which its sales doubled despite rising flour prices.",
    "Culture: The Tamar folk festival has announced its line-up for the summer, with forty \
     acts across three stages and free entry for children under twelve on the Sunday.",
];

fn items_of(indices: &[usize]) -> Vec<String> {
    indices.iter().map(|&i| ITEMS[i].to_string()).collect()
}

#[test]
fn a_bulletins_next_edition_carrying_a_few_items_over_stays_its_own_article() {
    let editions = [
        // Two of five items carried over, the new ones leading.
        (vec![0, 1, 2, 3, 4], vec![5, 6, 7, 2, 3]),
        // ... or placed among the new ones.
        (vec![0, 1, 2, 3, 4], vec![5, 3, 6, 4, 7]),
    ];
    for (monday, tuesday) in editions {
        for runs in [1, 2] {
            let first = Copy {
                name: "monday",
                headline: BRIEFING,
                date: "2026-10-05 06:00 GMT",
                paragraphs: items_of(&monday),
            };
            let second = Copy {
                name: "tuesday",
                headline: BRIEFING,
                date: "2026-10-06 06:00 GMT",
                paragraphs: items_of(&tuesday),
            };
            let project = project_of(&[first.clone(), second.clone()]);
            write(&project, &first);
            if runs == 2 {
                run(&project);
            }
            write(&project, &second);
            run(&project);
            let items = items(&project);
            assert_eq!(items.len(), 2, "{tuesday:?} in {runs} run(s): {items:#?}");
        }
    }
}
