//! The store's contract: how every backend behaves, as one suite of tests
//! run against each backend. Folding goes through `pipeline::fold_article`,
//! the loop every source uses, so the suite checks what a backend must do
//! for it: answer the exact-key and near-duplicate lookups, persist what
//! dedup decided (new articles, repeats, updates, near-duplicates, with
//! sightings and fold records), keep units and source transactions atomic,
//! list feed entries and folds in order, keep fetch state (with the
//! validators of the sitemaps an index lists) and the pages
//! sources fetched and sites printed and each source's last cycles and
//! each feed's latest publication by a run, page
//! through its articles with their sightings and folds, re-key its
//! near-duplicate index when the distance changes, and be copied into
//! another store and back.
//!
//! A backend joins with one line: `contract!(name, |test| -> Box<dyn Store> { … });`,
//! where `test` names the test (for a backend that needs a database each).
//! PostgreSQL needs a cluster (`FEEDFOLD_TEST_POSTGRES_URL`): without one
//! its cases say they skipped, except under `CI=true`, where they fail.

mod common;

use chrono::{DateTime, Utc};

use feedfold::dedup::near_rules::{self, NearConfig, Rule, Update, Verdict};
use feedfold::dedup::simhash::hamming;
use feedfold::dedup::{CANDIDATES_PER_KEY, Dates, Decision, Exact, Fingerprints, NearPrints};
use feedfold::ingest::fetch::Validators;
use feedfold::ingest::fetch_state::{FetchState, Outcome};
use feedfold::ingest::source::{PageVersion, SeenPage};
use feedfold::model::{Article, Block, Caption, Enclosure, Origin, StoredArticle};
use feedfold::pipeline::fold_article;
use feedfold::store::postgres::PgStore;
use feedfold::store::sqlite::SqliteStore;
use feedfold::store::{
    ArticlePage, CYCLES_KEPT, Decided, FeedPublication, PageStart, RenameError, SITE_PAGES_KEPT,
    SourceCycle, SourceHoldings, Store, StoreError,
};

/// Runs every test of the suite against the stores `$open` makes, one
/// fresh store per test.
macro_rules! contract {
    ($backend:ident, $open:expr) => {
        mod $backend {
            use super::*;

            fn open(test: &str) -> Option<Box<dyn Store>> {
                ($open)(test)
            }

            contract!(@tests
                repeat_is_stored_once_with_every_sighting,
                published_defaults_to_first_seen_and_is_kept,
                changed_upstream_entry_updates_in_place,
                an_entry_stays_itself_whether_or_not_its_document_shares_its_id,
                an_entry_stored_under_its_link_as_written_is_found_by_it,
                an_entry_whose_link_and_id_run_to_kilobytes_is_stored_and_found,
                ids_and_links_with_backslashes_are_kept_apart_as_written,
                ids_holding_nul_are_kept_apart_found_again_and_copied,
                an_entry_edited_beyond_its_text_is_updated_once,
                same_link_from_another_source_is_one_article_seen_twice,
                a_live_pages_posts_under_one_headline_are_two_stories,
                rolled_back_file_leaves_nothing,
                a_discarded_first_file_leaves_nothing_and_the_next_lands,
                uncommitted_batch_is_rolled_back,
                entries_filter_by_source_and_sort_newest_first,
                entries_page_on_after_the_last_article_of_a_page,
                undated_entries_of_a_document_keep_its_order,
                entries_since_a_moment_are_those_stored_or_changed_from_then_on,
                entries_since_a_moment_count_from_the_commit_that_stored_them,
                entries_since_a_moment_leave_out_what_only_their_source_dated_after_it,
                entries_of_sources_since_a_moment_count_a_sighting_that_joined_them,
                a_late_retry_leaves_the_entrys_current_version_known,
                an_edit_of_a_copy_that_replaces_nothing_is_known_as_last_seen,
                filling_what_an_undated_article_lacked_leaves_its_date_feedfolds,
                an_undated_article_takes_the_date_a_folded_copy_gives_and_keeps_it,
                a_copy_replacing_an_undated_text_dates_it_and_an_undated_one_leaves_a_date,
                a_late_retry_is_told_only_by_a_date_a_source_gave,
                an_undated_edit_is_an_edit_whatever_the_readers_clock,
                an_edit_read_once_the_clock_is_right_drops_a_date_stamped_ahead,
                an_undated_entry_first_seen_under_a_clock_ahead_is_dated_when_edited,
                a_correction_dated_before_feedfolds_clock_stamp_applies_and_moves_updated_on,
                an_appended_paragraph_updates_the_story_in_place,
                a_correction_is_weighed_against_the_dates_of_the_text_stored_now,
                an_edited_copy_replaces_the_text_under_the_storys_headline_and_says_so,
                a_repeat_of_a_replaced_text_is_recorded_as_an_earlier_text,
                a_repeat_of_a_folded_copys_text_is_recorded_as_an_earlier_copy,
                a_repeat_of_a_folded_copys_text_after_a_replacement_is_an_earlier_copy,
                a_contained_copy_is_recorded_with_its_evidence_and_replaces_nothing,
                a_copy_folded_in_its_originals_own_file_is_recorded_once,
                an_entry_read_again_at_another_line_is_placed_there,
                different_copies_from_one_place_are_each_recorded_once,
                a_feeds_second_entry_of_a_story_is_recorded_as_a_fold,
                an_entry_under_a_new_id_with_its_text_and_link_adds_no_fold,
                a_fold_fills_the_link_authors_and_media_the_stored_article_lacks,
                a_fold_gives_its_captions_to_a_story_stored_without_its_photo,
                the_same_text_dated_later_with_its_captions_corrected_updates_the_story,
                an_entry_stored_without_its_media_files_takes_them_when_seen_again,
                a_page_fills_the_teaser_its_link_stood_for,
                an_edited_teaser_leaves_the_fuller_text_its_page_gave,
                an_entrys_edits_over_the_page_text_it_keeps_update_its_article,
                a_folded_entrys_edits_over_the_page_text_update_the_story_under_its_headline,
                the_band_lookup_finds_an_edited_copy_and_records_why,
                same_titled_briefings_with_other_bodies_stay_apart,
                near_folding_off_keeps_edited_copies_apart,
                another_distance_recuts_the_bands,
                ids_are_stable_and_come_from_content_or_upstream_key,
                fetch_state_is_kept_per_source_and_with_the_batch,
                a_read_fetched_before_the_one_kept_leaves_it,
                fetch_state_follows_the_location_and_can_be_cleared,
                failures_of_a_new_location_replace_the_old_locations_state,
                documents_validators_are_kept_with_the_batch_replaced_whole_and_copied,
                candidates_are_capped_per_key_and_listed_once,
                an_article_dated_only_when_first_seen_is_near_every_date,
                an_unknown_article_and_an_empty_store_answer_nothing,
                pages_seen_are_kept_per_source_with_their_version,
                clearing_a_sources_fetch_state_forgets_its_pages,
                site_paragraphs_are_counted_over_earlier_pages,
                only_a_sites_newest_pages_stay_counted,
                pages_and_site_paragraphs_are_copied_both_ways,
                the_first_sighting_is_the_first_to_arrive_within_a_second,
                an_imported_batch_is_written_whole_or_refused_naming_what_it_lacks,
                cycles_are_kept_per_source_bounded_and_copied,
                cycles_kept_under_a_clock_ahead_do_not_crowd_out_later_ones,
                each_feeds_latest_publication_is_kept,
                an_earlier_copy_is_brought_up_to_date_once_the_source_forgot_old_cycles_and_pages,
                an_earlier_copy_forgets_the_fetch_state_of_a_source_reset_since,
                an_earlier_copy_that_ran_cycles_of_its_own_keeps_the_sources,
                a_store_that_saw_the_same_story_first_elsewhere_is_refused_before_writing,
                a_store_with_an_old_article_of_its_own_is_refused_before_writing,
                article_pages_walk_newest_first_with_sightings_and_folds,
                article_pages_list_ties_as_the_feeds_do_both_ways,
                a_text_that_makes_two_stored_articles_one_story_merges_them_into_the_first_seen,
                a_survivor_takes_the_absorbed_text_when_the_merge_says_so,
                an_undated_survivor_of_a_merge_takes_the_other_articles_date,
                a_story_that_gains_a_teasers_link_merges_with_the_teaser,
                a_page_after_a_position_goes_on_once_its_article_is_merged_away,
                a_merge_is_undone_when_the_absorbed_entry_gives_its_own_story_again,
                a_merges_kept_text_is_copied_so_the_copy_undoes_the_merge,
                a_renamed_source_keeps_everything_and_its_entries_as_its_own,
                nothing_is_kept_under_a_name_a_source_was_renamed_from,
                a_rename_is_refused_for_what_the_names_hold_and_changes_nothing,
                a_source_renamed_twice_and_copied_keeps_every_former_name,
                an_earlier_copy_takes_a_rename_made_since_when_copied_again,
                an_earlier_copy_here_is_renamed_as_the_store_it_copies,
                every_name_anything_is_kept_under_is_a_held_source_name,
                an_articles_position_is_where_the_walk_lists_it,
                a_merged_away_id_leads_to_the_last_survivor_of_a_chain_of_merges,
                a_walk_goes_on_from_its_cursor_once_a_merge_of_its_article_is_undone,
                a_number_a_merge_keeps_aside_is_given_to_no_article_stored_after,
            );
        }
    };
    (@tests $($test:ident),* $(,)?) => {
        $(
            #[test]
            fn $test() {
                if let Some(mut store) = open(stringify!($test)) {
                    super::$test(&mut *store);
                }
            }
        )*
    };
}

contract!(sqlite_memory, |_| -> Option<Box<dyn Store>> {
    Some(Box::new(
        SqliteStore::open_in_memory().expect("an in-memory store"),
    ))
});
contract!(sqlite_file, |_| -> Option<Box<dyn Store>> {
    // The file outlives the test run's temporary folder only as long as
    // the process: each test gets its own.
    let dir = tempfile::tempdir().expect("a temporary folder").keep();
    Some(Box::new(
        SqliteStore::open(&dir.join("store.db")).expect("a store file"),
    ))
});
contract!(postgres, |test: &str| -> Option<Box<dyn Store>> {
    let url = common::postgres::database(&format!("contract_{test}"))?;
    let url = feedfold::config::StoreUrl::parse(&url).expect("a store URL");
    Some(Box::new(PgStore::open(&url).expect("a PostgreSQL store")))
});

/// The stored article `prints` would fold into as a near-duplicate by
/// `config`, with the verdict: what the lookup of a fold finds.
fn near_match(
    store: &mut dyn Store,
    prints: &NearPrints,
    config: &NearConfig,
) -> Option<(String, Verdict)> {
    let mut writer = store.begin("lookup").unwrap();
    let candidates = writer.near_candidates(prints, CANDIDATES_PER_KEY).unwrap();
    near_rules::best_match(prints, candidates.iter().map(|c| &c.prints), config)
        .map(|(i, verdict)| (candidates[i].id.clone(), verdict))
}

fn article(title: &str, para: &str, location: &str) -> Article {
    Article {
        title: title.into(),
        captions: vec![Caption::credited("A photo", "AP")],
        body: vec![Block::paragraph(para)],
        origin: Origin {
            location: location.into(),
            line: 3,
        },
        ..Default::default()
    }
}

fn entry(key: &str, link: &str, para: &str) -> Article {
    Article {
        upstream_id: Some(key.into()),
        upstream_key: Some(key.into()),
        link: Some(link.into()),
        ..article("Entry", para, "https://up.example/feed.xml")
    }
}

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-28T10:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

/// At most `limit` entries of `sources` after the article `after` (from
/// the newest without), as a client walks by an article's id: from the
/// position the store gives it.
fn entries_after(
    store: &mut dyn Store,
    sources: Option<&[String]>,
    after: Option<&str>,
    limit: usize,
) -> Vec<StoredArticle> {
    let at = after.map(|id| {
        store
            .position_of(id)
            .unwrap()
            .unwrap_or_else(|| panic!("no position for {id}"))
    });
    store
        .feed_page(sources, None, at, limit)
        .unwrap()
        .into_iter()
        .map(|(article, _)| article)
        .collect()
}

fn fold_all(
    store: &mut dyn Store,
    source: &str,
    articles: &[Article],
    at: DateTime<Utc>,
) -> Vec<Decision> {
    fold_with(store, source, articles, at, Some(&NearConfig::default()))
}

fn fold_with(
    store: &mut dyn Store,
    source: &str,
    articles: &[Article],
    at: DateTime<Utc>,
    near: Option<&NearConfig>,
) -> Vec<Decision> {
    let mut writer = store.begin(source).unwrap();
    let decisions = articles
        .iter()
        .map(|a| {
            fold_article(&mut *writer, source, a, near, at)
                .unwrap()
                .decision
        })
        .collect();
    writer.commit(&|| at).unwrap();
    decisions
}

/// Folds `article` alone in a transaction of `source` at `at`.
fn fold_one(
    store: &mut dyn Store,
    source: &str,
    article: &Article,
    at: DateTime<Utc>,
) -> feedfold::pipeline::Folded {
    let mut writer = store.begin(source).unwrap();
    let folded = fold_article(
        &mut *writer,
        source,
        article,
        Some(&NearConfig::default()),
        at,
    )
    .unwrap();
    writer.commit(&|| at).unwrap();
    folded
}

pub fn repeat_is_stored_once_with_every_sighting(store: &mut dyn Store) {
    let decisions = fold_all(
        store,
        "s1",
        &[
            article("T", "Body.", "a.txt"),
            article("t", "BODY.", "b.txt"),
        ],
        now(),
    );
    assert!(matches!(decisions[0], Decision::New { .. }));
    assert_eq!(
        decisions[1],
        Decision::Repeat {
            id: decisions[0].id().into(),
            by: Exact::Content
        }
    );
    assert_eq!(store.article_count().unwrap(), 1);
    let places = store.sightings(decisions[0].id()).unwrap();
    assert_eq!(places.len(), 2);
    assert_eq!(places[1].location, "b.txt");
}

pub fn published_defaults_to_first_seen_and_is_kept(store: &mut dyn Store) {
    fold_all(store, "s", &[article("T", "Body.", "a.txt")], now());
    let later = now() + chrono::Duration::days(1);
    fold_all(store, "s", &[article("T", "Body.", "a.txt")], later);
    let entries = store.feed_entries(None, None, 10).unwrap();
    assert_eq!(entries[0].published, now());
    assert_eq!(entries[0].captions[0].credit.as_deref(), Some("AP"));
}

pub fn changed_upstream_entry_updates_in_place(store: &mut dyn Store) {
    let first = fold_all(
        store,
        "wire",
        &[entry("guid-1", "https://up.example/1", "Draft.")],
        now(),
    );
    let later = now() + chrono::Duration::hours(2);
    let second = fold_all(
        store,
        "wire",
        &[entry("guid-1", "https://up.example/1", "Final text.")],
        later,
    );
    assert_eq!(
        second[0],
        Decision::Update {
            id: first[0].id().into()
        }
    );
    let stored = store.article(first[0].id()).unwrap().unwrap();
    assert_eq!(stored.body[0].text, "Final text.");
    assert_eq!(stored.published, now());
    assert_eq!(stored.updated, later);
    assert!(stored.id.contains(":entry:"));
    // The same content again is a repeat, not another update.
    let third = fold_all(
        store,
        "wire",
        &[entry("guid-1", "https://up.example/1", "Final text.")],
        later,
    );
    assert_eq!(
        third[0],
        Decision::Repeat {
            id: first[0].id().into(),
            by: Exact::Entry
        }
    );
    assert_eq!(store.article_count().unwrap(), 1);
}

/// Entry `id` with `link` and text `para`, as a document that gives the
/// id to other entries too (`shared`) or to it alone keys it.
fn keyed_entry(id: &str, link: &str, para: &str, shared: bool) -> Article {
    let mut entry = entry(id, link, para);
    if shared {
        entry.upstream_key = Some(feedfold::dedup::fingerprint::paired_key(id, link));
    }
    entry
}

/// Entry without an id, known by `link` without its tracking parameters,
/// with text `para`.
fn linked_entry(link: &str, para: &str) -> Article {
    Article {
        upstream_id: None,
        upstream_key: Some(feedfold::dedup::fingerprint::entry_link_key(link)),
        ..entry("-", link, para)
    }
}

pub fn an_entry_stored_under_its_link_as_written_is_found_by_it(store: &mut dyn Store) {
    let written = "https://up.example/pier/?utm_source=rss";
    // As a store written before tracking parameters were dropped holds it.
    let old = Article {
        upstream_key: Some(written.into()),
        ..linked_entry(written, "The pier reopens in March.")
    };
    let id = fold_all(store, "wire", &[old], now())[0].id().to_string();
    let later = now() + chrono::Duration::hours(1);
    let edited = linked_entry(written, "The pier reopens in April.");
    assert_ne!(edited.upstream_key.as_deref(), Some(written));
    assert_eq!(
        fold_all(store, "wire", &[edited], later),
        [Decision::Update { id: id.clone() }]
    );
    // Known by its link from then on, whatever its tracking parameters.
    let again = linked_entry(
        "https://up.example/pier?utm_source=mail&fbclid=x",
        "The pier reopens in April.",
    );
    assert_eq!(
        fold_all(store, "wire", &[again], later),
        [Decision::Repeat {
            id,
            by: Exact::Entry
        }]
    );
    assert_eq!(store.article_count().unwrap(), 1);
}

pub fn an_entry_whose_link_and_id_run_to_kilobytes_is_stored_and_found(store: &mut dyn Store) {
    // A signed URL's token and an id as long: more than an index row holds.
    let token: String = (0..9000)
        .map(|i| char::from(b'a' + (i * 7 % 26) as u8))
        .collect();
    let link = format!("https://up.example/story?sig={token}");
    let id = format!("tag:up.example,2026:{token}");
    let long = || Article {
        origin: Origin {
            location: format!("https://up.example/feed.xml?session={token}"),
            line: 1,
        },
        ..entry(
            &id,
            &link,
            "The harbour board approved the expansion on Monday.",
        )
    };
    let ordinary = entry(
        "night-trains",
        "https://up.example/night-trains",
        "Sleeper services resume on Friday.",
    );
    let first = fold_all(store, "wire", &[long(), ordinary], now());
    assert!(matches!(first[0], Decision::New { .. }), "{first:?}");
    assert!(matches!(first[1], Decision::New { .. }), "{first:?}");
    let again = fold_all(store, "wire", &[long()], now());
    assert_eq!(
        again,
        [Decision::Repeat {
            id: first[0].id().to_string(),
            by: Exact::Entry
        }]
    );
    assert_eq!(store.article_count().unwrap(), 2);
    // A page of the same length is remembered as fetched.
    let mut writer = store.begin("wire").unwrap();
    writer.remember_page(&read_at(&link, "v1")).unwrap();
    writer.commit(&now).unwrap();
    let seen = store
        .pages_seen("wire", std::slice::from_ref(&link))
        .unwrap();
    assert_eq!(seen[&link].version, "v1");
}

pub fn ids_and_links_with_backslashes_are_kept_apart_as_written(store: &mut dyn Store) {
    // A backslash is as good a character as any in an id, a link or a
    // location; escapes that a cast might read in it mean nothing.
    let at = |location: &str, article: Article| Article {
        origin: Origin {
            location: location.into(),
            line: 1,
        },
        ..article
    };
    let entries = [
        at(
            "C:\\feeds\\wire.xml",
            entry(
                "A",
                "https://up.example/a?q=\\x41",
                "The ferry sails at noon.",
            ),
        ),
        at(
            "C:\\feeds\\wire.xml",
            entry(
                "\\x41",
                "https://up.example/a?q=A",
                "The bridge opens at dawn.",
            ),
        ),
        at(
            "C:\\feeds\\wire.xml",
            entry("\\123", "https://up.example/S", "The market closes early."),
        ),
        at(
            "C:\\feeds\\wire.xml",
            entry(
                "S",
                "https://up.example/\\123",
                "The library lends bicycles.",
            ),
        ),
    ];
    let first = fold_all(store, "wire", &entries, now());
    assert!(
        first.iter().all(|d| matches!(d, Decision::New { .. })),
        "{first:?}"
    );
    assert_eq!(store.article_count().unwrap(), 4);
    let again = fold_all(store, "wire", &entries, now());
    for (decision, earlier) in again.iter().zip(&first) {
        assert_eq!(
            *decision,
            Decision::Repeat {
                id: earlier.id().to_string(),
                by: Exact::Entry
            }
        );
    }
    let links = ["https://up.example/a?q=\\x41", "https://up.example/a?q=A"];
    let mut writer = store.begin("wire").unwrap();
    writer.remember_page(&read_at(links[0], "v1")).unwrap();
    writer.commit(&now).unwrap();
    let seen = store.pages_seen("wire", &links.map(String::from)).unwrap();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[links[0]].version, "v1");
}

pub fn ids_holding_nul_are_kept_apart_found_again_and_copied(store: &mut dyn Store) {
    use feedfold::store::copy::copy;
    // JSON writes U+0000 as `\u0000`, in an id as anywhere; U+FFFF is a
    // character as good as any other in one too.
    let ids = [
        "urn:j:1\0",
        "urn:j:1",
        "urn:j:1\u{FFFF}0",
        "urn:j:1\u{FFFF}",
        "\0",
    ];
    let entries: Vec<Article> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let link = format!("https://up.example/{i}");
            keyed_entry(id, &link, &format!("Story {i} of the harbour."), i == 4)
        })
        .collect();
    let first = fold_all(store, "wire", &entries, now());
    for (decision, entry) in first.iter().zip(&entries) {
        assert_eq!(
            *decision,
            Decision::New {
                id: Fingerprints::of(entry, "wire").new_id
            },
            "the id made from the entry's id as given"
        );
    }
    assert_eq!(store.article_count().unwrap(), ids.len() as u64);
    let again = fold_all(store, "wire", &entries, now());
    for (decision, earlier) in again.iter().zip(&first) {
        assert_eq!(
            *decision,
            Decision::Repeat {
                id: earlier.id().to_string(),
                by: Exact::Entry
            }
        );
    }
    let edited = keyed_entry(ids[0], "https://up.example/0", "Story 0, edited.", false);
    let later = now() + chrono::Duration::hours(1);
    assert_eq!(
        fold_all(store, "wire", std::slice::from_ref(&edited), later),
        [Decision::Update {
            id: first[0].id().to_string()
        }]
    );
    // A copy holds the same ids, and knows the entries by them.
    let mut memory = SqliteStore::open_in_memory().unwrap();
    copy(store, &mut memory, &mut |_| {}).unwrap();
    let mut copied = entries.clone();
    copied[0] = edited;
    for (decision, earlier) in fold_all(&mut memory, "wire", &copied, later)
        .iter()
        .zip(&first)
    {
        assert_eq!(
            *decision,
            Decision::Repeat {
                id: earlier.id().to_string(),
                by: Exact::Entry
            }
        );
    }
    assert_eq!(memory.article_count().unwrap(), ids.len() as u64);
}

pub fn an_entry_stays_itself_whether_or_not_its_document_shares_its_id(store: &mut dyn Store) {
    let (council, ferry) = ("https://up.example/council", "https://up.example/ferry");
    let a = |para: &str, shared| keyed_entry("story-77", council, para, shared);
    let b = |para: &str, shared| keyed_entry("story-77", ferry, para, shared);
    let first = fold_all(
        store,
        "wire",
        &[
            a("Council approves budget.", true),
            b("Ferry strike.", true),
        ],
        now(),
    );
    let (a_id, b_id) = (first[0].id().to_string(), first[1].id().to_string());
    assert_ne!(a_id, b_id);
    let update = |id: &str| Decision::Update { id: id.into() };
    let repeat = |id: &str| Decision::Repeat {
        id: id.into(),
        by: Exact::Entry,
    };
    // Alone in its document now, and edited: the same article.
    let later = now() + chrono::Duration::hours(1);
    let edited = "Council approves budget by nine votes.";
    assert_eq!(
        fold_all(store, "wire", &[a(edited, false)], later),
        [update(&a_id)]
    );
    assert_eq!(
        fold_all(store, "wire", &[a(edited, false)], later),
        [repeat(&a_id)]
    );
    // The other entry alone later is itself, not the one that had the id
    // alone before it.
    let b_edited = "Ferry strike ends.";
    assert_eq!(
        fold_all(store, "wire", &[b(b_edited, false)], later),
        [update(&b_id)]
    );
    assert_eq!(
        fold_all(store, "wire", &[a(edited, false)], later),
        [repeat(&a_id)]
    );
    // Both again under one id: each is itself.
    let again = fold_all(
        store,
        "wire",
        &[a("Council approves budget, 9-4.", true), b(b_edited, true)],
        later,
    );
    assert_eq!(again, [update(&a_id), repeat(&b_id)]);
    let stored = store.article(&a_id).unwrap().unwrap();
    assert_eq!(stored.body[0].text, "Council approves budget, 9-4.");
    assert_eq!(stored.published, now());

    // Stored alone, then joined by another entry under its id: it is
    // found by its id and link, and the other entry is another article.
    let c = keyed_entry("desk-1", "https://desk.example/c", "Tram opens.", false);
    let c_id = fold_all(store, "desk", &[c], now())[0].id().to_string();
    let joined = fold_all(
        store,
        "desk",
        &[
            keyed_entry(
                "desk-1",
                "https://desk.example/c",
                "Tram opens on time.",
                true,
            ),
            keyed_entry("desk-1", "https://desk.example/d", "Library shuts.", true),
        ],
        later,
    );
    assert_eq!(joined[0], update(&c_id));
    assert!(matches!(joined[1], Decision::New { .. }), "{joined:?}");
    assert_eq!(store.article_count().unwrap(), 4);
}

pub fn an_entry_edited_beyond_its_text_is_updated_once(store: &mut dyn Store) {
    let as_first = |link: &str, author: &str| {
        let mut entry = entry("guid-9", link, "Council approves budget.");
        entry.authors = vec![author.into()];
        entry
    };
    let first = fold_all(
        store,
        "wire",
        &[as_first("http://up.example/counci-budget", "Staff")],
        now(),
    );
    let id = first[0].id().to_string();
    let later = now() + chrono::Duration::hours(2);
    let mut edited = as_first("https://up.example/council-budget", "Ruth Okafor");
    edited.content_html =
        Some("<p>Council approves <a href=\"https://up.example/b.pdf\">budget</a>.</p>".into());
    edited.captions = vec![Caption::credited("Councillors vote", "Herald")];
    assert_eq!(
        fold_all(store, "wire", std::slice::from_ref(&edited), later),
        [Decision::Update { id: id.clone() }]
    );
    let stored = store.article(&id).unwrap().unwrap();
    assert_eq!(
        stored.link.as_deref(),
        Some("https://up.example/council-budget")
    );
    assert_eq!(stored.authors, ["Ruth Okafor"]);
    assert!(stored.content_html.unwrap().contains("b.pdf"));
    assert_eq!(stored.captions[0].text, "Councillors vote");
    assert_eq!((stored.published, stored.updated), (now(), later));
    let repeat = [Decision::Repeat {
        id: id.clone(),
        by: Exact::Entry,
    }];
    let even_later = later + chrono::Duration::hours(1);
    assert_eq!(
        fold_all(store, "wire", std::slice::from_ref(&edited), even_later),
        repeat
    );
    // What a fold filled in from another copy is no edit of the entry.
    let mut bare = entry("guid-10", "https://up.example/tram", "Tram opens.");
    bare.link = None;
    bare.upstream_key = Some("guid-10".into());
    let bare_id = fold_all(store, "wire", std::slice::from_ref(&bare), now())[0]
        .id()
        .to_string();
    let mut other = article("Entry", "Tram opens.", "https://other.example/feed.xml");
    other.link = Some("https://other.example/tram".into());
    other.authors = vec!["Wire Staff".into()];
    fold_all(store, "other", &[other], later);
    assert_eq!(
        store.article(&bare_id).unwrap().unwrap().authors,
        ["Wire Staff"]
    );
    for _ in 0..2 {
        assert_eq!(
            fold_all(store, "wire", std::slice::from_ref(&bare), even_later),
            [Decision::Repeat {
                id: bare_id.clone(),
                by: Exact::Entry
            }]
        );
    }
    // A copy of the store knows each entry as it was last seen.
    use feedfold::store::copy::copy;
    let mut memory = SqliteStore::open_in_memory().unwrap();
    copy(store, &mut memory, &mut |_| {}).unwrap();
    assert_eq!(
        fold_all(
            &mut memory,
            "wire",
            std::slice::from_ref(&edited),
            even_later
        ),
        repeat
    );
}

pub fn same_link_from_another_source_is_one_article_seen_twice(store: &mut dyn Store) {
    let a = fold_all(
        store,
        "a",
        &[entry(
            "1",
            "https://News.example/story?utm_source=a",
            "Long text.",
        )],
        now(),
    );
    let b = fold_all(
        store,
        "b",
        &[entry("x9", "https://news.example/story/#top", "Short.")],
        now(),
    );
    assert_eq!(
        b[0],
        Decision::Repeat {
            id: a[0].id().into(),
            by: Exact::Link
        }
    );
    let sources: Vec<String> = store
        .sightings(a[0].id())
        .unwrap()
        .into_iter()
        .map(|s| s.source)
        .collect();
    assert_eq!(sources, ["a", "b"]);
    // b's own entry now leads to the same article on its next fetch.
    let again = fold_all(
        store,
        "b",
        &[entry("x9", "https://news.example/story", "Short.")],
        now(),
    );
    assert_eq!(
        again[0],
        Decision::Repeat {
            id: a[0].id().into(),
            by: Exact::Entry
        }
    );
}

pub fn a_live_pages_posts_under_one_headline_are_two_stories(store: &mut dyn Store) {
    let live = "https://up.example/live.html";
    let first = fold_all(
        store,
        "wire",
        &[linked_entry(
            &format!("{live}?utm_source=rss#post-1"),
            "Winds of up to 90mph have been recorded on the coast road.",
        )],
        now(),
    );
    // Another post under the same headline, on the next fetch.
    let second = fold_all(
        store,
        "wire",
        &[linked_entry(
            &format!("{live}#post-2"),
            "All ferries to the islands are cancelled for the rest of the day.",
        )],
        now(),
    );
    assert!(matches!(second[0], Decision::New { .. }), "{second:?}");
    assert_ne!(second[0].id(), first[0].id());
    // The page itself from another source is the first post's link.
    let page = fold_all(
        store,
        "desk",
        &[entry(
            "d-1",
            live,
            "Winds of up to 95mph have been recorded on the coast road.",
        )],
        now(),
    );
    assert_eq!(
        page[0],
        Decision::Repeat {
            id: first[0].id().into(),
            by: Exact::Link
        }
    );
    assert_eq!(store.article_count().unwrap(), 2);
}

pub fn rolled_back_file_leaves_nothing(store: &mut dyn Store) {
    let near = NearConfig::default();
    let mut writer = store.begin("s").unwrap();
    writer.begin_unit().unwrap();
    fold_article(
        &mut *writer,
        "s",
        &article("Kept", "Body.", "a.txt"),
        Some(&near),
        now(),
    )
    .unwrap();
    writer.end_unit(true).unwrap();
    writer.begin_unit().unwrap();
    fold_article(
        &mut *writer,
        "s",
        &article("Dropped", "Body.", "b.txt"),
        Some(&near),
        now(),
    )
    .unwrap();
    writer.end_unit(false).unwrap();
    assert!(writer.is_open());
    writer.commit(&now).unwrap();
    let titles: Vec<_> = store
        .feed_entries(None, None, 10)
        .unwrap()
        .into_iter()
        .map(|a| a.title)
        .collect();
    assert_eq!(titles, ["Kept"]);
}

pub fn a_discarded_first_file_leaves_nothing_and_the_next_lands(store: &mut dyn Store) {
    let near = NearConfig::default();
    let mut writer = store.begin("s").unwrap();
    let mut unit = |title: &str, body: &str, keep: bool| {
        writer.begin_unit().unwrap();
        let folded = fold_article(
            &mut *writer,
            "s",
            &article(title, body, &format!("{title}.txt")),
            Some(&near),
            now(),
        )
        .unwrap();
        writer.end_unit(keep).unwrap();
        assert!(writer.is_open());
        folded.decision
    };
    unit("Dropped", "The first file's story.", false);
    // The discarded story is not found again: it is stored anew.
    assert!(matches!(
        unit("Dropped", "The first file's story.", true),
        Decision::New { .. }
    ));
    unit("Also dropped", "The third file's story.", false);
    writer.commit(&now).unwrap();
    let entries = store.feed_entries(None, None, 10).unwrap();
    let titles: Vec<_> = entries.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(titles, ["Dropped"]);
    assert_eq!(store.sightings(&entries[0].id).unwrap().len(), 1);
}

pub fn uncommitted_batch_is_rolled_back(store: &mut dyn Store) {
    {
        let mut writer = store.begin("s").unwrap();
        fold_article(
            &mut *writer,
            "s",
            &article("Lost", "Body.", "a.txt"),
            None,
            now(),
        )
        .unwrap();
        writer
            .put_fetch_state(&FetchState::succeeded(
                "https://up.example/s.xml",
                Validators {
                    etag: Some("\"lost\"".into()),
                    last_modified: None,
                },
                now(),
            ))
            .unwrap();
    }
    assert_eq!(store.fetch_state("s").unwrap(), FetchState::default());
    assert_eq!(store.article_count().unwrap(), 0);
}

pub fn entries_filter_by_source_and_sort_newest_first(store: &mut dyn Store) {
    let mut old = article("Old", "Body one.", "a.txt");
    old.published = Some(now() - chrono::Duration::days(2));
    fold_all(
        store,
        "a",
        &[old, article("New", "Body two.", "a.txt")],
        now(),
    );
    fold_all(
        store,
        "b",
        &[article("Other", "Body three.", "b.txt")],
        now(),
    );
    let mut titles = |sources: Option<&[String]>, limit| -> Vec<String> {
        store
            .feed_entries(sources, None, limit)
            .unwrap()
            .into_iter()
            .map(|a| a.title)
            .collect()
    };
    assert_eq!(titles(Some(&["a".to_string()]), 10), ["New", "Old"]);
    assert_eq!(titles(Some(&["b".to_string()]), 10), ["Other"]);
    assert_eq!(titles(None, 2).len(), 2);
    let since = store.feed_entries(None, Some(now()), 10).unwrap();
    assert_eq!(since.len(), 3, "stored now, the two-day-old article too");
}

/// `since` asks what was stored or changed from then on, whatever the
/// articles' own dates: an entry published before a client's last poll
/// but stored after it is still news to that client, and so is a text
/// replaced after it. A copy of the store answers the same.
pub fn entries_since_a_moment_are_those_stored_or_changed_from_then_on(store: &mut dyn Store) {
    let poll = now();
    let minute = chrono::Duration::minutes(1);
    let mut early = article("Stored before the poll", "Body one.", "a.txt");
    early.upstream_key = Some("early".into());
    early.published = Some(poll - minute * 90);
    fold_all(store, "a", &[early.clone()], poll - minute);
    let mut late = article("Stored after the poll", "Body two.", "a.txt");
    late.published = Some(poll - minute * 60);
    fold_all(store, "a", &[late], poll + minute);
    assert_eq!(titles_since(store, poll), ["Stored after the poll"]);
    // The early entry's text is replaced after a second poll.
    let second_poll = poll + minute * 2;
    early.body = vec![Block::paragraph("Body one, corrected.")];
    let decision = fold_all(store, "a", &[early], second_poll + minute).remove(0);
    assert!(decision.updates(), "{decision:?}");
    assert_eq!(titles_since(store, second_poll), ["Stored before the poll"]);
    assert_eq!(titles_since(store, poll).len(), 2);

    let mut copy = copied(store);
    assert_eq!(
        titles_since(&mut copy, second_poll),
        ["Stored before the poll"]
    );
}

/// An article is stored when its source's transaction commits, not when
/// its copy was folded: copies folded before a client's poll whose
/// transaction commits after it (a slow source, a long dump) are news to
/// that client, and so is a link filled in the same way.
pub fn entries_since_a_moment_count_from_the_commit_that_stored_them(store: &mut dyn Store) {
    let poll = now();
    let minute = chrono::Duration::minutes(1);
    let near = NearConfig::default();
    let mut slow = article("Folded before the poll", "Body one.", "a.txt");
    slow.published = Some(poll - minute * 90);
    let mut writer = store.begin("a").unwrap();
    fold_article(&mut *writer, "a", &slow, Some(&near), poll - minute).unwrap();
    writer.commit(&|| poll + minute).unwrap();
    assert_eq!(titles_since(store, poll), ["Folded before the poll"]);
    assert!(titles_since(store, poll + minute * 2).is_empty());
    // A copy that fills its link, folded before a second poll and
    // committed after it.
    let second_poll = poll + minute * 3;
    let mut linked = slow.clone();
    linked.link = Some("https://news.example/one".into());
    linked.origin.location = "https://news.example/feed.xml".into();
    let mut writer = store.begin("b").unwrap();
    fold_article(
        &mut *writer,
        "b",
        &linked,
        Some(&near),
        second_poll - minute,
    )
    .unwrap();
    writer.commit(&|| second_poll + minute).unwrap();
    assert_eq!(titles_since(store, second_poll), ["Folded before the poll"]);
}

/// `since` compares when the store wrote an article, never the date its
/// source gave it: an entry dated hours ahead (a wrong zone), stored
/// before a poll and unchanged since, is not listed by every poll after
/// it; edited after a later poll, it is listed since that poll, once.
pub fn entries_since_a_moment_leave_out_what_only_their_source_dated_after_it(
    store: &mut dyn Store,
) {
    let poll = now();
    let minute = chrono::Duration::minutes(1);
    let mut ahead = article("Dated hours ahead", "Body one.", "push");
    ahead.upstream_key = Some("ahead".into());
    ahead.published = Some(poll - minute * 120);
    ahead.updated = Some(poll + minute * 600);
    fold_all(store, "push", std::slice::from_ref(&ahead), poll - minute);
    assert_eq!(titles_since(store, poll - minute), ["Dated hours ahead"]);
    assert!(
        titles_since(store, poll).is_empty(),
        "stored before the poll and unchanged since"
    );
    // Its source edits it after a second poll, dating it later still.
    let second_poll = poll + minute * 2;
    ahead.body = vec![Block::paragraph("Body one, corrected.")];
    ahead.updated = Some(poll + minute * 660);
    let decision = fold_all(store, "push", &[ahead], second_poll + minute).remove(0);
    assert!(decision.updates(), "{decision:?}");
    assert_eq!(titles_since(store, second_poll), ["Dated hours ahead"]);
    assert!(titles_since(store, second_poll + minute * 2).is_empty());
}

/// An article joins the entries of some sources when one of them sights
/// it: asked with those sources, `since` lists it from the commit that
/// stored the sighting on (a copy folded before a poll and committed after
/// it), though the article itself is unchanged; asked without them, it is
/// not listed again. A copy of the store answers the same.
pub fn entries_of_sources_since_a_moment_count_a_sighting_that_joined_them(store: &mut dyn Store) {
    let poll = now();
    let minute = chrono::Duration::minutes(1);
    let mut story = article("Joined the partner's feed", "Body one.", "desk.txt");
    story.published = Some(poll - minute * 90);
    fold_all(
        store,
        "desk",
        std::slice::from_ref(&story),
        poll - minute * 2,
    );
    let partner = ["partner".to_string()];
    let desk = ["desk".to_string()];
    let titles = |store: &mut dyn Store, sources: &[String], since| -> Vec<String> {
        store
            .feed_entries(Some(sources), Some(since), 10)
            .unwrap()
            .into_iter()
            .map(|a| a.title)
            .collect()
    };
    assert!(titles(store, &partner, poll - minute * 3).is_empty());
    story.origin.location = "partner.txt".into();
    let mut writer = store.begin("partner").unwrap();
    let folded = fold_article(
        &mut *writer,
        "partner",
        &story,
        Some(&NearConfig::default()),
        poll - minute,
    )
    .unwrap();
    writer.commit(&|| poll + minute).unwrap();
    assert!(
        matches!(folded.decision, Decision::Repeat { .. }),
        "{folded:?}"
    );
    assert_eq!(titles(store, &partner, poll), ["Joined the partner's feed"]);
    assert!(titles(store, &partner, poll + minute * 2).is_empty());
    assert!(titles(store, &desk, poll).is_empty());
    assert!(titles_since(store, poll).is_empty());

    let mut copy = copied(store);
    assert_eq!(
        titles(&mut copy, &partner, poll),
        ["Joined the partner's feed"]
    );
    assert!(titles(&mut copy, &partner, poll + minute * 2).is_empty());
}

/// A late retry of an earlier version is a sighting only: the version the
/// stored text came from stays the entry's, so that version sent again is
/// no edit, and nothing is listed as changed.
pub fn a_late_retry_leaves_the_entrys_current_version_known(store: &mut dyn Store) {
    let hour = chrono::Duration::hours(1);
    let version = |body: &str, updated: DateTime<Utc>| {
        let mut entry = article("Fire at the timber yard", body, "push");
        entry.upstream_key = Some("fire".into());
        entry.published = Some(now() - hour * 4);
        entry.updated = Some(updated);
        entry
    };
    let first = version("Crews fight a fire.", now() - hour * 2);
    let current = version("The fire is under control.", now() - hour);
    fold_all(store, "push", std::slice::from_ref(&first), now());
    assert!(fold_all(store, "push", std::slice::from_ref(&current), now())[0].updates());
    let retry = fold_all(store, "push", &[first], now() + hour).remove(0);
    assert!(!retry.updates(), "{retry:?}");
    let poll = now() + hour * 2;
    let again = fold_all(store, "push", &[current], poll).remove(0);
    assert!(
        matches!(
            again,
            Decision::Repeat {
                by: Exact::Entry,
                ..
            }
        ),
        "{again:?}"
    );
    assert!(store.feed_entries(None, Some(poll), 10).unwrap().is_empty());
}

/// An entry folded into another source's story by its link, then edited
/// to a text that does not replace the story's (shorter than nine tenths
/// of it), is a sighting of an edit: the entry is known as it is now, so
/// seen again unchanged after the story's own source edited the story, it
/// is known and leaves that edit in place.
pub fn an_edit_of_a_copy_that_replaces_nothing_is_known_as_last_seen(store: &mut dyn Store) {
    let link = "https://news.example/bridge";
    let hour = chrono::Duration::hours(1);
    let story = |para: &str| entry("bridge", link, para);
    let wire = "The mayor opened the new bridge over the river on Monday morning in front of a large crowd of residents.";
    let id = fold_all(store, "wire", &[story(wire)], now())[0]
        .id()
        .to_string();
    let copy = "Traffic was halted for hours as the bridge closed again on Tuesday after inspectors found cracks in a support.";
    let folded = fold_all(store, "partner", &[story(copy)], now() + hour).remove(0);
    assert_eq!(
        folded,
        Decision::Repeat {
            id: id.clone(),
            by: Exact::Link
        }
    );
    let edit = "The bridge reopened on Wednesday after engineers repaired the cracked support overnight, the council said today.";
    let edited = fold_all(store, "partner", &[story(edit)], now() + hour * 2).remove(0);
    assert_eq!(
        edited,
        Decision::Repeat {
            id: id.clone(),
            by: Exact::EditedEntry
        }
    );
    let shorter =
        "The mayor opened the new bridge over the river on Monday morning before local residents.";
    let update = fold_all(store, "wire", &[story(shorter)], now() + hour * 3).remove(0);
    assert_eq!(update, Decision::Update { id: id.clone() });
    let again = fold_all(store, "partner", &[story(edit)], now() + hour * 4).remove(0);
    assert_eq!(
        again,
        Decision::Repeat {
            id: id.clone(),
            by: Exact::Entry
        }
    );
    let stored = store.article(&id).unwrap().unwrap();
    assert_eq!(stored.body[0].text, shorter);
    assert_eq!(stored.updated, now() + hour * 3);
}

/// Filling the link and authors an undated article lacked leaves its date
/// what it was, the moment feedfold read it, which says nothing of when a
/// source changed it: an upstream edit dated before that moment is still
/// an edit, as it is when nothing was filled.
pub fn filling_what_an_undated_article_lacked_leaves_its_date_feedfolds(store: &mut dyn Store) {
    let hour = chrono::Duration::hours(1);
    let dumped = now();
    let id = fold_all(store, "dump", &[story(HEADLINE, &STORY, "a.txt")], dumped)[0]
        .id()
        .to_string();
    let entry = |paragraphs: &[&str], updated| {
        let mut entry = story(HEADLINE, paragraphs, "https://news.example/feed.xml");
        entry.upstream_key = Some("harbour".into());
        entry.link = Some("https://news.example/harbour".into());
        entry.authors = vec!["Jane Smith".into()];
        entry.published = Some(dumped - hour * 3);
        entry.updated = updated;
        entry
    };
    let fill = fold_all(store, "wire", &[entry(&STORY, None)], dumped + hour).remove(0);
    assert_eq!(fill.id(), id, "{fill:?}");
    let filled = store.article(&id).unwrap().unwrap();
    assert_eq!(filled.authors, ["Jane Smith"], "the fold filled the byline");
    let edited: Vec<&str> = STORY.iter().copied().chain([LATER]).collect();
    let edit = fold_all(
        store,
        "wire",
        &[entry(&edited, Some(dumped - hour))],
        dumped + hour * 2,
    )
    .remove(0);
    assert!(edit.updates(), "{edit:?}");
    let stored = store.article(&id).unwrap().unwrap();
    assert_eq!(stored.body.len(), edited.len());
}

/// Whether stored article `id` is undated, as a copy is weighed against
/// it ([`NearPrints::undated`]).
fn undated(store: &mut dyn Store, id: &str) -> bool {
    let mut writer = store.begin("lookup").unwrap();
    let undated = writer.settled(id).unwrap().expect("stored").prints.undated;
    drop(writer);
    undated
}

/// A story read undated from a dump, dated when first seen, takes the date
/// of a copy folded into it (the same text, from a feed that dates it two
/// months back) with the link it lacked; `updated` stays, the text being
/// the same, and the story moves down the feed below a story dated since.
/// Dated now, it keeps that date: a later copy's, dated otherwise, is not
/// taken, nor does a dated story ever take a copy's date.
pub fn an_undated_article_takes_the_date_a_folded_copy_gives_and_keeps_it(store: &mut dyn Store) {
    let day = chrono::Duration::days(1);
    let id = fold_all(store, "dump", &[story(HEADLINE, &STORY, "a.txt")], now())[0]
        .id()
        .to_string();
    let mut tram = story("Tram Extension Opens", &[LATER], "b.txt");
    tram.published = Some(now() - day * 8);
    let tram_id = fold_all(store, "dump", &[tram], now())[0].id().to_string();
    let titles = |store: &mut dyn Store| -> Vec<String> {
        store
            .feed_entries(None, None, 10)
            .unwrap()
            .into_iter()
            .map(|a| a.title)
            .collect()
    };
    assert_eq!(titles(store), [HEADLINE, "Tram Extension Opens"]);
    assert!(undated(store, &id));

    let copy = |published: DateTime<Utc>, location: &str| Article {
        link: Some("https://calder.example/port".into()),
        published: Some(published),
        ..story(HEADLINE, &STORY, location)
    };
    let dated = now() - day * 60;
    let folded = fold_one(store, "feed", &copy(dated, "feed.xml"), now() + day);
    assert_eq!(folded.decision.id(), id, "{:?}", folded.decision);
    assert!(!folded.decision.updates(), "{:?}", folded.decision);
    assert!(folded.filled, "the date and link it lacked");
    let stored = store.article(&id).unwrap().unwrap();
    assert_eq!(stored.published, dated, "the date the copy gave");
    assert_eq!(
        stored.updated,
        now(),
        "the text is the same: `updated` stays"
    );
    assert_eq!(stored.link.as_deref(), Some("https://calder.example/port"));
    assert!(!undated(store, &id), "no longer undated");
    assert_eq!(titles(store), ["Tram Extension Opens", HEADLINE]);

    // Dated now, by a copy: another copy's date is not taken.
    fold_one(
        store,
        "other",
        &copy(now() - day * 61, "other.xml"),
        now() + day * 2,
    );
    assert_eq!(store.article(&id).unwrap().unwrap().published, dated);
    // A story dated by its first sighting keeps that date.
    let mut tram_copy = story("Tram Extension Opens", &[LATER], "tram.xml");
    tram_copy.published = Some(now() - day * 20);
    let folded = fold_one(store, "feed", &tram_copy, now() + day * 2);
    assert_eq!(folded.decision.id(), tram_id, "{:?}", folded.decision);
    assert_eq!(
        store.article(&tram_id).unwrap().unwrap().published,
        now() - day * 8
    );
    // A copy seen again changes nothing.
    let again = fold_one(store, "feed", &copy(dated, "feed.xml"), now() + day * 3);
    assert!(!again.filled, "{again:?}");
}

/// A dated copy that replaces the text of a story stored undated (it
/// extends it) gives it its date; an undated copy that replaces the text
/// of a dated story leaves it its date, and the story stays dated, so a
/// dated copy folded into it later gives it none.
pub fn a_copy_replacing_an_undated_text_dates_it_and_an_undated_one_leaves_a_date(
    store: &mut dyn Store,
) {
    let day = chrono::Duration::days(1);
    let id = fold_all(
        store,
        "dump",
        &[story(HEADLINE, &STORY[..3], "a.txt")],
        now(),
    )[0]
    .id()
    .to_string();
    let mut whole = story(HEADLINE, &STORY, "feed.xml");
    whole.published = Some(now() - day * 30);
    let replaced = fold_one(store, "feed", &whole, now() + day);
    assert_eq!(replaced.decision.id(), id, "{:?}", replaced.decision);
    assert!(replaced.decision.updates(), "{:?}", replaced.decision);
    let stored = store.article(&id).unwrap().unwrap();
    assert_eq!(stored.published, now() - day * 30, "the copy's date");
    assert_eq!(
        stored.updated,
        now() + day,
        "the text changed when it was read"
    );
    assert!(!undated(store, &id));

    let ferry = [
        "The island ferry will run a winter timetable from next month, with two sailings a \
         day instead of five, the operator said on Tuesday after a review of passenger numbers.",
        "Islanders said the cut would leave commuters stranded on the mainland after the \
         early afternoon, and the community council asked for an evening sailing to be kept.",
        "The operator said it would look again at the timetable in the spring, once repairs \
         to the second vessel were finished and both boats were back in service.",
        "A public meeting on the changes will be held in the island hall next Thursday, and \
         the operator has promised to send a manager to answer questions.",
    ];
    let mut dated = story("Ferry Cuts Winter Sailings", &ferry[..3], "b.txt");
    dated.published = Some(now() - day * 5);
    let dated_id = fold_all(store, "desk", &[dated], now())[0].id().to_string();
    let longer = story("Ferry Cuts Winter Sailings", &ferry, "c.txt");
    let replaced = fold_one(store, "dump", &longer, now() + day);
    assert_eq!(replaced.decision.id(), dated_id, "{:?}", replaced.decision);
    assert!(replaced.decision.updates(), "{:?}", replaced.decision);
    assert_eq!(
        store.article(&dated_id).unwrap().unwrap().published,
        now() - day * 5
    );
    assert!(!undated(store, &dated_id), "its date is its own still");
}

/// Undated entries are dated when first seen, so a document's entries tie:
/// they keep the document's order, the first newest, so a `limit` keeps
/// its first ones, and a page after one of them goes on in that order.
pub fn undated_entries_of_a_document_keep_its_order(store: &mut dyn Store) {
    let entry = |i: usize| {
        let mut story = article(
            &format!("Story {i}"),
            &format!("Body number {i}."),
            "up.xml",
        );
        story.upstream_key = Some(format!("g{i}"));
        story.origin.line = i;
        story
    };
    let document: Vec<Article> = (1..=6).map(entry).collect();
    fold_all(store, "up", &document, now());
    let titles = |store: &mut dyn Store, after: Option<&str>, limit| -> Vec<String> {
        entries_after(store, None, after, limit)
            .into_iter()
            .map(|a| a.title)
            .collect()
    };
    assert_eq!(titles(store, None, 3), ["Story 1", "Story 2", "Story 3"]);
    let second = store.feed_entries(None, None, 2).unwrap()[1].id.clone();
    assert_eq!(titles(store, Some(&second), 2), ["Story 3", "Story 4"]);
    // A later document's new first entry is newer than all of them.
    let later: Vec<Article> = (0..=6).map(entry).collect();
    fold_all(store, "up", &later, now() + chrono::Duration::minutes(5));
    assert_eq!(titles(store, None, 3), ["Story 0", "Story 1", "Story 2"]);
    // A feed that gives each story of a day the same date: a story a later
    // fetch brings is above those fetched before it, and the stories of
    // one fetch keep its order.
    let day = now() - chrono::Duration::days(2);
    let dated = |i: usize| {
        let mut story = entry(100 + i);
        story.published = Some(day);
        story
    };
    fold_all(store, "up", &[dated(1), dated(2)], now());
    fold_all(
        store,
        "up",
        &[dated(3), dated(4), dated(1), dated(2)],
        now() + chrono::Duration::minutes(10),
    );
    let on_the_day: Vec<String> = store
        .feed_entries(None, None, 100)
        .unwrap()
        .into_iter()
        .filter(|a| a.published == day)
        .map(|a| a.title)
        .collect();
    assert_eq!(
        on_the_day,
        ["Story 103", "Story 104", "Story 101", "Story 102"]
    );
    // Pages break inside the tie where the whole list does.
    let ids: Vec<String> = store
        .feed_entries(None, None, 100)
        .unwrap()
        .into_iter()
        .map(|a| a.id)
        .collect();
    for (i, id) in ids.iter().enumerate().take(ids.len() - 1) {
        let next = entries_after(store, None, Some(id), 1);
        assert_eq!(next[0].id, ids[i + 1], "after {i}");
    }
}

pub fn entries_page_on_after_the_last_article_of_a_page(store: &mut dyn Store) {
    // Nine stories from two sources: seven dated an hour apart, the last
    // three of them sharing one date, so pages break inside a tie.
    let stories: Vec<Article> = (0..9i64)
        .map(|i| {
            let mut story = article(&format!("Story {i}"), &format!("Body number {i}."), "a.txt");
            story.origin.line = i as usize + 1;
            story.published = Some(now() - chrono::Duration::hours(i.min(6)));
            story
        })
        .collect();
    fold_all(store, "a", &stories[..5], now());
    fold_all(store, "b", &stories[5..], now());
    let whole = store.feed_entries(None, None, 100).unwrap();
    assert_eq!(whole.len(), 9);
    let walk = |store: &mut dyn Store, sources: Option<&[String]>, size: usize| {
        let mut seen: Vec<String> = Vec::new();
        loop {
            let page = entries_after(store, sources, seen.last().map(String::as_str), size);
            assert!(page.len() <= size);
            seen.extend(page.iter().map(|a| a.id.clone()));
            if page.len() < size {
                return seen;
            }
        }
    };
    let ids: Vec<String> = whole.iter().map(|a| a.id.clone()).collect();
    for size in [1, 2, 3, 4] {
        assert_eq!(walk(store, None, size), ids, "pages of {size}");
    }
    let from_b = ["b".to_string()];
    let b_ids: Vec<String> = store
        .feed_entries(Some(&from_b), None, 100)
        .unwrap()
        .iter()
        .map(|a| a.id.clone())
        .collect();
    assert_eq!(b_ids.len(), 4);
    assert_eq!(walk(store, Some(&from_b), 3), b_ids);
    assert_eq!(store.position_of("no-such-article").unwrap(), None);
}

/// A changed entry dated before the stored text is a late retry when the
/// stored date is one a source gave; when it is only when feedfold first
/// read an undated copy, the entry's date says nothing of that, and the
/// edit is applied.
pub fn a_late_retry_is_told_only_by_a_date_a_source_gave(store: &mut dyn Store) {
    let hour = chrono::Duration::hours(1);
    let version = |key: &str, body: &str, updated: Option<DateTime<Utc>>| {
        let mut entry = article("Fire at the timber yard", body, "push");
        entry.upstream_key = Some(key.into());
        entry.published = Some(now() - hour * 4);
        entry.updated = updated;
        entry
    };
    // Dated by the source: a correction an hour ago, then a retry of the
    // version of two hours ago.
    fold_all(
        store,
        "push",
        &[version(
            "dated",
            "Crews fight a fire.",
            Some(now() - hour * 2),
        )],
        now(),
    );
    let correction = version("dated", "The fire is under control.", Some(now() - hour));
    assert!(fold_all(store, "push", &[correction], now())[0].updates());
    let retry = version("dated", "Crews fight a fire.", Some(now() - hour * 2));
    let decision = fold_all(store, "push", &[retry], now() + hour).remove(0);
    assert!(!decision.updates(), "{decision:?}");
    // Undated at first, so dated when read; then an edit the source dates
    // before that moment (a cache served the first version late).
    fold_all(
        store,
        "push",
        &[version("undated", "Crews fight a blaze.", None)],
        now(),
    );
    let edit = version("undated", "The blaze is out.", Some(now() - hour));
    let decision = fold_all(store, "push", &[edit], now() + hour).remove(0);
    assert!(decision.updates(), "{decision:?}");
    let stored = store.article(decision.id()).unwrap().unwrap();
    assert_eq!(stored.body, [Block::paragraph("The blaze is out.")]);
}

/// An undated entry's edit is an edit whatever the clock of the worker
/// that reads it: many workers share a store, and their clocks need not
/// agree (one ten minutes behind reads a real correction).
pub fn an_undated_edit_is_an_edit_whatever_the_readers_clock(store: &mut dyn Store) {
    let minute = chrono::Duration::minutes(1);
    let version = |body: &str| {
        let mut entry = article("Harbour vote", body, "http://wire.example/atom.xml");
        entry.upstream_key = Some("urn:e1".into());
        entry
    };
    let first = version("The harbour vote is due tonight.");
    let corrected = version("The harbour vote passed by five to two.");
    let id = fold_all(
        store,
        "wire",
        std::slice::from_ref(&first),
        now() + minute * 10,
    )
    .remove(0)
    .id()
    .to_string();
    let edit = fold_all(store, "wire", std::slice::from_ref(&corrected), now()).remove(0);
    assert!(edit.updates(), "{edit:?}");
    let stored = store.article(&id).unwrap().unwrap();
    assert_eq!(stored.body, corrected.body);
    let again = fold_all(store, "wire", &[corrected], now() + minute).remove(0);
    assert!(!again.updates(), "the stored version is known: {again:?}");
}

/// An undated edit read under a clock that ran days ahead is dated by
/// that clock; the next edit, read once the clock is right, is dated the
/// moment it was read, not kept at the date ahead, which would date the
/// article and its feeds ahead. Clocks that differ by minutes never date
/// an edit back.
pub fn an_edit_read_once_the_clock_is_right_drops_a_date_stamped_ahead(store: &mut dyn Store) {
    let (day, minute) = (chrono::Duration::days(1), chrono::Duration::minutes(1));
    let published = now() - day * 5;
    let version = |body: &str| {
        let mut entry = article(
            "Winter fair plans unveiled",
            body,
            "http://wire.example/rss",
        );
        entry.upstream_key = Some("urn:fair".into());
        entry.published = Some(published);
        entry
    };
    let id = fold_all(store, "wire", &[version("A larger ice rink.")], now())
        .remove(0)
        .id()
        .to_string();
    let ahead = fold_all(
        store,
        "wire",
        &[version("A much larger ice rink.")],
        now() + day * 3,
    );
    assert!(ahead[0].updates(), "{ahead:?}");
    let read = now() + minute;
    let edit = fold_all(store, "wire", &[version("A far larger ice rink.")], read);
    assert!(edit[0].updates(), "{edit:?}");
    let stored = store.article(&id).unwrap().unwrap();
    assert_eq!(stored.updated, read, "the moment the edit was read");
    assert_eq!(stored.published, published);
    let early = fold_all(
        store,
        "wire",
        &[version("The largest ice rink.")],
        read - minute * 2,
    );
    assert!(early[0].updates(), "{early:?}");
    let stored = store.article(&id).unwrap().unwrap();
    assert_eq!(
        stored.updated, read,
        "a clock minutes behind dates no edit back"
    );
}

/// An undated entry is dated when first seen; first seen under a clock
/// that ran ahead, an edit read once the clock is right dates it the
/// moment it was read, its id unchanged.
pub fn an_undated_entry_first_seen_under_a_clock_ahead_is_dated_when_edited(store: &mut dyn Store) {
    let (day, minute) = (chrono::Duration::days(1), chrono::Duration::minutes(1));
    let version = |body: &str| {
        let mut entry = article("Storm closes harbour road", body, "http://wire.example/rss");
        entry.upstream_key = Some("urn:storm".into());
        entry
    };
    let first = fold_all(
        store,
        "wire",
        &[version("The storm closed the harbour road for a day.")],
        now() + day * 200,
    );
    let id = first[0].id().to_string();
    let read = now() + minute;
    let edit = fold_all(
        store,
        "wire",
        &[version("The storm closed the harbour road for two days.")],
        read,
    );
    assert!(edit[0].updates(), "{edit:?}");
    assert_eq!(edit[0].id(), id, "the id stays");
    let stored = store.article(&id).unwrap().unwrap();
    assert_eq!(
        (stored.published, stored.updated),
        (read, read),
        "dated the moment the edit was read"
    );
}

/// A moment feedfold stamped from its own clock (an undated edit read)
/// never outranks a date a source gave: a dated correction after it sets
/// the article's `updated` to its own date, so a second correction a few
/// minutes later is weighed against that date and applied, and a late
/// retry of the first is still told.
pub fn a_correction_dated_before_feedfolds_clock_stamp_applies_and_moves_updated_on(
    store: &mut dyn Store,
) {
    let (hour, minute) = (chrono::Duration::hours(1), chrono::Duration::minutes(1));
    let published = now() - hour * 24;
    let version = |body: &str, updated: Option<DateTime<Utc>>| {
        let mut entry = article("Rail strike halts services", body, "push");
        entry.upstream_key = Some("urn:strike".into());
        entry.published = Some(published);
        entry.updated = updated;
        entry
    };
    let id = fold_all(
        store,
        "push",
        &[version("The strike lasts 48 hours.", None)],
        now(),
    )
    .remove(0)
    .id()
    .to_string();
    // Edited with no date of its own: dated by the clock.
    let undated = version("The strike lasts 48 hours. Talks resume.", None);
    assert!(fold_all(store, "push", &[undated], now() + hour)[0].updates());
    // Corrected, dated by the source before that clock stamp: `updated`
    // never goes back, it moves on to the moment the correction was read.
    let first_fix = published + hour * 2;
    let correction = version("The strike lasts 72 hours. Talks resume.", Some(first_fix));
    assert!(fold_all(store, "push", &[correction], now() + hour * 2)[0].updates());
    let stored = store.article(&id).unwrap().unwrap();
    assert_eq!(
        stored.updated,
        now() + hour * 2,
        "read after the clock stamp"
    );
    // A second correction minutes after the first, still before the clock
    // stamp, is applied: it is weighed against the date the source gave
    // the text stored now.
    let second_fix = first_fix + minute * 5;
    let again = version("The strike lasts 96 hours. Talks resume.", Some(second_fix));
    let decision = fold_all(store, "push", &[again], now() + hour * 3).remove(0);
    assert!(decision.updates(), "{decision:?}");
    let stored = store.article(&id).unwrap().unwrap();
    assert_eq!(stored.updated, now() + hour * 3);
    assert_eq!(stored.published, published);
    assert!(stored.body[0].text.contains("96 hours"));
    // A version dated between the two is a late retry.
    let retry = version(
        "The strike lasts 80 hours. Talks resume.",
        Some(first_fix + minute),
    );
    let decision = fold_all(store, "push", &[retry], now() + hour * 4).remove(0);
    assert!(!decision.updates(), "{decision:?}");
}

const STORY: [&str; 4] = [
    "The board of the Port of Calder voted on Monday to approve a long-delayed expansion \
     of the northern harbour, ending a dispute with fishing cooperatives that had stalled \
     the project for more than a year.",
    "The plan adds two deep-water berths and a rail spur, and sets aside a protected quay \
     for the town's fishing fleet, which had objected to earlier drafts.",
    "\"Nobody got everything they wanted, and that is usually the sign of a fair deal,\" \
     board chair Imogen Ashworth told reporters after the vote.",
    "Construction is expected to begin in the spring and to take three years, with the \
     first berth open to ships before the end of the second summer.",
];
const LATER: &str = "Late on Monday the cooperatives said they would not oppose the plan \
    in court, clearing the way for work to begin as soon as contracts are signed.";
const HEADLINE: &str = "Port of Calder Approves Harbour Expansion";

fn story(title: &str, paragraphs: &[&str], location: &str) -> Article {
    Article {
        title: title.into(),
        body: paragraphs.iter().map(|p| Block::paragraph(*p)).collect(),
        origin: Origin {
            location: location.into(),
            line: 7,
        },
        ..Default::default()
    }
}

fn folds(store: &mut dyn Store) -> Vec<(String, Option<u32>, Option<String>, String)> {
    store
        .folds(None)
        .unwrap()
        .into_iter()
        .map(|f| (f.rule, f.distance, f.replaced, f.seen.location))
        .collect()
}

/// A partner's cut copy dated later, seen first, then the newsroom's own
/// longer version, published and updated earlier: the longer text
/// replaces the cut one and `updated` moves on (to the moment it was read,
/// never back to the newsroom's date). The newsroom's correction, dated
/// after its own version but still before the partner's copy, is a later
/// version of the text stored now, in the store and in a copy of it.
pub fn a_correction_is_weighed_against_the_dates_of_the_text_stored_now(store: &mut dyn Store) {
    use feedfold::store::copy::copy;
    let day = now() - chrono::Duration::days(1);
    let at = |hours: i64, minutes: i64| {
        Some(day + chrono::Duration::hours(hours) + chrono::Duration::minutes(minutes))
    };
    let mut partner = story(HEADLINE, &STORY[..3], "partner.txt");
    partner.published = at(13, 30);
    let id = fold_all(store, "partner", &[partner], now())[0]
        .id()
        .to_string();
    let desk = |paragraphs: &[&str], updated| Article {
        published: at(7, 40),
        updated,
        ..story(HEADLINE, paragraphs, "desk.txt")
    };
    let read = now() + chrono::Duration::hours(1);
    let longer = fold_all(store, "desk", &[desk(&STORY, at(10, 5))], read).remove(0);
    assert!(
        matches!(&longer, Decision::Near { id: i, update: Some(Update::Longer), .. } if *i == id),
        "{longer:?}"
    );
    let stored = store.article(&id).unwrap().unwrap();
    assert_eq!(stored.body.len(), 4);
    assert_eq!(stored.published, at(13, 30).unwrap());
    assert_eq!(stored.updated, read, "moved on, to when it was read");

    let fixed = STORY[2].replace("Imogen", "Imogene");
    let paragraphs = [STORY[0], STORY[1], &fixed, STORY[3]];
    let correction = desk(&paragraphs, at(11, 20));
    let mut copied = SqliteStore::open_in_memory().unwrap();
    copy(store, &mut copied, &mut |_| {}).unwrap();
    let later = read + chrono::Duration::hours(1);
    for store in [store, &mut copied as &mut dyn Store] {
        let decision = fold_all(store, "desk", std::slice::from_ref(&correction), later).remove(0);
        assert!(
            matches!(&decision, Decision::Near { id: i, update: Some(Update::Newer), .. } if *i == id),
            "{decision:?}"
        );
        let stored = store.article(&id).unwrap().unwrap();
        assert_eq!(stored.body[2].text, fixed);
        assert_eq!(stored.updated, later);
    }
}

pub fn an_appended_paragraph_updates_the_story_in_place(store: &mut dyn Store) {
    let mut first = story(HEADLINE, &STORY, "a.txt");
    first.published = Some(now() - chrono::Duration::days(1));
    let id = fold_all(store, "desk", &[first], now())[0].id().to_string();
    let mut paragraphs = STORY.to_vec();
    paragraphs.push(LATER);
    let later = now() + chrono::Duration::hours(3);
    let decision = fold_all(
        store,
        "wire",
        &[story(
            &format!("{HEADLINE} - Reuters"),
            &paragraphs,
            "b.txt",
        )],
        later,
    )
    .remove(0);
    let Decision::Near {
        id: folded_into,
        rule,
        distance,
        update,
        ..
    } = decision
    else {
        panic!("not folded as a near-duplicate: {decision:?}");
    };
    assert_eq!(folded_into, id);
    assert_eq!(rule, Rule::SharedParagraphs);
    assert!(distance > 3, "found through the paragraph keys: {distance}");
    assert_eq!(update, Some(Update::Longer));
    let stored = store.article(&id).unwrap().unwrap();
    assert_eq!(stored.body.len(), 5);
    assert_eq!(stored.body[4].text, LATER);
    assert_eq!(stored.published, now() - chrono::Duration::days(1));
    assert_eq!(stored.updated, later);
    assert_eq!(store.article_count().unwrap(), 1);
    assert_eq!(
        folds(store),
        [(
            "shared-paragraphs".to_string(),
            Some(distance),
            Some("longer".to_string()),
            "b.txt".to_string()
        )]
    );
    // The stored prints are the new content's: the shorter copy arriving
    // again folds without replacing anything.
    let again = fold_all(
        store,
        "late",
        &[story(HEADLINE, &STORY[..3], "c.txt")],
        later,
    );
    assert!(
        matches!(&again[0], Decision::Near { id: i, update: None, .. } if *i == id),
        "{again:?}"
    );
    assert_eq!(store.article(&id).unwrap().unwrap().body.len(), 5);
}

/// A feed's entry folded into a dump's story under its headline with a
/// site name added, then edited upstream (a paragraph appended): its text
/// replaces the story's, the story keeps its headline, and the copy's fold
/// says it replaced the text.
pub fn an_edited_copy_replaces_the_text_under_the_storys_headline_and_says_so(
    store: &mut dyn Store,
) {
    let id = fold_all(store, "desk", &[story(HEADLINE, &STORY, "a.txt")], now())[0]
        .id()
        .to_string();
    let copy = |paragraphs: &[&str]| Article {
        upstream_id: Some("urn:w2".into()),
        upstream_key: Some("urn:w2".into()),
        link: Some("https://wire.example/w2".into()),
        ..story(
            &format!("{HEADLINE} - Calder Wire"),
            paragraphs,
            "wire.atom",
        )
    };
    let folded = fold_all(store, "wire", &[copy(&STORY)], now()).remove(0);
    assert!(
        matches!(&folded, Decision::Near { id: i, update: None, .. } if *i == id),
        "{folded:?}"
    );
    let mut paragraphs = STORY.to_vec();
    paragraphs.push(LATER);
    let later = now() + chrono::Duration::hours(8);
    let edited = fold_all(store, "wire", &[copy(&paragraphs)], later).remove(0);
    assert_eq!(
        edited,
        Decision::EditedCopy {
            id: id.clone(),
            update: Update::Longer
        }
    );
    let stored = store.article(&id).unwrap().unwrap();
    assert_eq!(stored.title, HEADLINE);
    assert_eq!(stored.body.last().unwrap().text, LATER);
    assert_eq!(stored.updated, later);
    assert_eq!(store.article_count().unwrap(), 1);
    let recorded = store.folds(None).unwrap();
    assert_eq!(recorded.len(), 1, "{recorded:?}");
    assert_eq!(recorded[0].replaced.as_deref(), Some("longer"));
    assert_eq!(recorded[0].article_title, HEADLINE);
    assert_eq!(recorded[0].seen.location, "wire.atom");
    // The same edit seen again is a repeat of the entry, and changes
    // nothing more.
    let again = fold_all(store, "wire", &[copy(&paragraphs)], later).remove(0);
    assert_eq!(
        again,
        Decision::Repeat {
            id: id.clone(),
            by: Exact::Entry
        }
    );
    assert_eq!(store.folds(None).unwrap(), recorded);
}

/// A shorter copy folded without replacing the stored text, its text seen
/// again elsewhere leads to the article (its content key does), but the
/// article never had that text: recorded as `earlier-copy`, not as an
/// earlier text of its own, as far apart as the two bodies are.
pub fn a_repeat_of_a_folded_copys_text_is_recorded_as_an_earlier_copy(store: &mut dyn Store) {
    let whole = story(HEADLINE, &STORY, "a.txt");
    let id = fold_all(store, "desk", std::slice::from_ref(&whole), now())[0]
        .id()
        .to_string();
    let cut = story(HEADLINE, &STORY[..3], "b.txt");
    let first = fold_all(store, "wire", std::slice::from_ref(&cut), now());
    assert_eq!(first[0].id(), id, "{first:?}");
    assert!(!first[0].updates(), "{first:?}");
    let again = fold_all(
        store,
        "mirror",
        &[story(HEADLINE, &STORY[..3], "c.txt")],
        now(),
    );
    assert_eq!(
        again[0],
        Decision::Repeat {
            id: id.clone(),
            by: Exact::Content
        }
    );
    let copy = Fingerprints::of(&cut, "mirror");
    let stored = Fingerprints::of(&whole, "desk");
    let recorded = folds(store);
    assert_eq!(recorded.len(), 2, "{recorded:?}");
    assert_eq!(
        recorded[1],
        (
            "earlier-copy".to_string(),
            Some(hamming(copy.near.simhash, stored.near.simhash)),
            None,
            "c.txt".to_string()
        )
    );
}

/// The stored text replaced by a longer copy, the first text seen again
/// elsewhere is still the article's (its content key leads there), but
/// no exact repeat of its text now: recorded as `earlier-text`, as far
/// apart as the two bodies are.
pub fn a_repeat_of_a_replaced_text_is_recorded_as_an_earlier_text(store: &mut dyn Store) {
    let id = fold_all(store, "desk", &[story(HEADLINE, &STORY, "a.txt")], now())[0]
        .id()
        .to_string();
    let mut paragraphs = STORY.to_vec();
    paragraphs.push(LATER);
    let longer = story(&format!("{HEADLINE} - Reuters"), &paragraphs, "b.txt");
    fold_all(store, "wire", std::slice::from_ref(&longer), now());
    let again = fold_all(store, "mirror", &[story(HEADLINE, &STORY, "c.txt")], now());
    assert_eq!(
        again[0],
        Decision::Repeat {
            id: id.clone(),
            by: Exact::Content
        }
    );
    let copy = Fingerprints::of(&story(HEADLINE, &STORY, "c.txt"), "mirror");
    let stored = Fingerprints::of(&longer, "wire");
    let recorded = folds(store);
    assert_eq!(recorded.len(), 2, "{recorded:?}");
    assert_eq!(
        recorded[1],
        (
            "earlier-text".to_string(),
            Some(hamming(copy.near.simhash, stored.near.simhash)),
            None,
            "c.txt".to_string()
        )
    );
    // The longer text itself seen again is an exact repeat of it.
    fold_all(
        store,
        "mirror",
        &[story(&longer.title, &paragraphs, "d.txt")],
        now(),
    );
    assert_eq!(
        folds(store)[2],
        ("exact".to_string(), Some(0), None, "d.txt".to_string())
    );
}

/// The stored text replaced by a longer copy under another headline, a
/// copy of that longer text under the story's own headline folded without
/// replacing it: that copy's text seen again elsewhere is a text the
/// article never had, recorded as `earlier-copy` although its text was
/// replaced.
pub fn a_repeat_of_a_folded_copys_text_after_a_replacement_is_an_earlier_copy(
    store: &mut dyn Store,
) {
    let id = fold_all(store, "desk", &[story(HEADLINE, &STORY, "a.txt")], now())[0]
        .id()
        .to_string();
    let mut paragraphs = STORY.to_vec();
    paragraphs.push(LATER);
    let retitled = story(
        "Calder harbour deal clears last hurdle",
        &paragraphs,
        "b.txt",
    );
    let replaced = fold_all(store, "wire", std::slice::from_ref(&retitled), now());
    assert!(replaced[0].updates(), "{replaced:?}");
    let folded = fold_all(
        store,
        "herald",
        &[story(HEADLINE, &paragraphs, "c.txt")],
        now(),
    );
    assert_eq!(folded[0].id(), id, "{folded:?}");
    assert!(!folded[0].updates(), "{folded:?}");
    let again = fold_all(
        store,
        "mirror",
        &[story(HEADLINE, &paragraphs, "d.txt")],
        now(),
    );
    assert_eq!(
        again[0],
        Decision::Repeat {
            id: id.clone(),
            by: Exact::Content
        }
    );
    let copy = Fingerprints::of(&story(HEADLINE, &paragraphs, "d.txt"), "mirror");
    let stored = Fingerprints::of(&retitled, "wire");
    let recorded = folds(store);
    assert_eq!(recorded.len(), 3, "{recorded:?}");
    assert_eq!(
        recorded[2],
        (
            "earlier-copy".to_string(),
            Some(hamming(copy.near.simhash, stored.near.simhash)),
            None,
            "d.txt".to_string()
        )
    );
}

pub fn a_contained_copy_is_recorded_with_its_evidence_and_replaces_nothing(store: &mut dyn Store) {
    let original = story(HEADLINE, &STORY, "a.txt");
    let id = fold_all(store, "desk", &[original], now())[0]
        .id()
        .to_string();
    let before = store.article(&id).unwrap().unwrap();
    // Another outlet's headline over the story with a paragraph taken out.
    let retitled = story(
        "Fishing fleet gets its own berth",
        &[STORY[0], STORY[1], STORY[3]],
        "b.txt",
    );
    let later = now() + chrono::Duration::hours(4);
    let decision = fold_all(store, "partner", &[retitled], later).remove(0);
    let Decision::Near {
        id: folded_into,
        rule,
        update,
        evidence,
        ..
    } = decision
    else {
        panic!("not folded: {decision:?}");
    };
    assert_eq!(
        (folded_into.as_str(), rule, update),
        (id.as_str(), Rule::Contained, None)
    );
    assert_eq!(
        evidence.map(|e| e.to_string()).as_deref(),
        Some("contained: 3 of 3 paragraphs, shared lead")
    );
    assert_eq!(
        store.article(&id).unwrap().unwrap(),
        before,
        "the original stays"
    );
    let recorded = store.folds(None).unwrap();
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].rule, "contained");
    assert_eq!(
        recorded[0].evidence.as_deref(),
        Some("contained: 3 of 3 paragraphs, shared lead")
    );
    assert_eq!(recorded[0].copy_title, "Fishing fleet gets its own berth");
}

pub fn a_copy_folded_in_its_originals_own_file_is_recorded_once(store: &mut dyn Store) {
    let mut short = story(HEADLINE, &STORY[..3], "one.txt");
    short.origin.line = 1;
    let mut full = story(HEADLINE, &STORY, "one.txt");
    full.origin.line = 17;
    let decisions = fold_all(store, "desk", &[short.clone(), full.clone()], now());
    assert!(
        matches!(
            &decisions[1],
            Decision::Near {
                update: Some(Update::Longer),
                ..
            }
        ),
        "{decisions:?}"
    );
    let recorded = store.folds(None).unwrap();
    assert_eq!(recorded.len(), 1, "{recorded:?}");
    assert_eq!(recorded[0].rule, "shared-paragraphs");
    assert_eq!(recorded[0].replaced.as_deref(), Some("longer"));
    assert_eq!(recorded[0].seen.line, 17);
    // The same file read again records nothing more.
    let later = now() + chrono::Duration::hours(1);
    fold_all(store, "desk", &[short, full], later);
    assert_eq!(store.folds(None).unwrap(), recorded);
}

/// Two different copies of a story from one place (two pushes to the API,
/// a feed's second copy of it) are each recorded, in the order they came;
/// seen there again, neither adds a record. Both travel through a copy of
/// the store, and copying it back adds none.
pub fn different_copies_from_one_place_are_each_recorded_once(store: &mut dyn Store) {
    use feedfold::store::copy::copy;
    let id = fold_all(store, "desk", &[story(HEADLINE, &STORY, "a.txt")], now())[0]
        .id()
        .to_string();
    let typo = STORY[1].replace("berths", "bertsh");
    let first = story(HEADLINE, &[STORY[0], &typo, STORY[2], STORY[3]], "api");
    let dated = format!("CALDER (Reuters) - {}", STORY[0]);
    let second = story(
        &format!("{HEADLINE} - Reuters"),
        &[&dated, STORY[1], STORY[2], STORY[3]],
        "api",
    );
    let later = now() + chrono::Duration::hours(1);
    for (copy, at) in [(&first, now()), (&second, later)] {
        let decision = fold_all(store, "push", std::slice::from_ref(copy), at).remove(0);
        assert!(
            matches!(&decision, Decision::Near { id: i, .. } if *i == id),
            "{decision:?}"
        );
    }
    // The same copies pushed again: nothing more.
    let again = later + chrono::Duration::hours(1);
    fold_all(store, "push", &[first, second], again);
    let recorded = store.folds(None).unwrap();
    let listed: Vec<(&str, &str, &str)> = recorded
        .iter()
        .map(|f| {
            (
                f.copy_title.as_str(),
                f.seen.source.as_str(),
                f.seen.location.as_str(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        [
            (HEADLINE, "push", "api"),
            (format!("{HEADLINE} - Reuters").as_str(), "push", "api"),
        ],
        "{recorded:?}"
    );
    assert_ne!(recorded[0].copy_id, recorded[1].copy_id);
    assert_eq!(recorded[1].seen.first_seen, later);

    let mut memory = SqliteStore::open_in_memory().unwrap();
    copy(store, &mut memory, &mut |_| {}).unwrap();
    assert_eq!(memory.folds(None).unwrap(), recorded);
    copy(&mut memory, store, &mut |_| {}).unwrap();
    assert_eq!(
        store.folds(None).unwrap(),
        recorded,
        "copying back adds none"
    );
}

/// A feed's second entry of a story (another id, the same text or link)
/// is a fold from the place the story was first seen at, recorded once:
/// the feed read again adds none.
pub fn a_feeds_second_entry_of_a_story_is_recorded_as_a_fold(store: &mut dyn Store) {
    let link = "https://news.example/harbour";
    let first = Article {
        title: HEADLINE.into(),
        ..entry("guid-1", link, STORY[0])
    };
    let id = fold_all(store, "wire", std::slice::from_ref(&first), now())[0]
        .id()
        .to_string();
    let same_text = Article {
        link: Some("https://news.example/harbour-copy".into()),
        ..entry("guid-2", link, STORY[0])
    };
    let same_text = Article {
        title: HEADLINE.into(),
        ..same_text
    };
    let same_link = Article {
        title: HEADLINE.into(),
        ..entry("guid-3", &format!("{link}?utm_source=rss"), STORY[1])
    };
    let later = now() + chrono::Duration::hours(1);
    let copies = [same_text, same_link];
    let decisions = fold_all(store, "wire", &copies, later);
    assert!(
        decisions.iter().all(|d| d.id() == id && !d.updates()),
        "{decisions:?}"
    );
    let rules = |store: &mut dyn Store| -> Vec<String> {
        store
            .folds(None)
            .unwrap()
            .into_iter()
            .map(|f| f.rule)
            .collect()
    };
    assert_eq!(rules(store), ["exact", "same-link"]);
    fold_all(store, "wire", &copies, later + chrono::Duration::hours(1));
    assert_eq!(
        rules(store),
        ["exact", "same-link"],
        "read again: none more"
    );
}

/// An entry its feed gives a new id on every fetch (a timestamp in the
/// guid), under the same link with the same text, is the same copy seen
/// again at its place: a sighting of its article, no fold; the same text
/// under that link from another source is still a fold, once.
pub fn an_entry_under_a_new_id_with_its_text_and_link_adds_no_fold(store: &mut dyn Store) {
    let link = "https://news.example/harbour";
    let stamped = |fetch: i64| Article {
        title: HEADLINE.into(),
        ..entry(&format!("{link}?t={fetch}"), link, STORY[0])
    };
    let id = fold_all(store, "wire", &[stamped(1)], now())[0]
        .id()
        .to_string();
    for fetch in 2..=4 {
        let at = now() + chrono::Duration::hours(fetch);
        let decision = fold_all(store, "wire", &[stamped(fetch)], at).remove(0);
        assert_eq!(decision.id(), id, "{decision:?}");
        assert!(!decision.updates(), "{decision:?}");
    }
    assert_eq!(store.folds(None).unwrap(), [], "no fold of the same copy");
    let partner = Article {
        origin: Origin {
            location: "https://partner.example/feed.xml".into(),
            line: 1,
        },
        ..stamped(5)
    };
    for hours in [5, 6] {
        let at = now() + chrono::Duration::hours(hours);
        fold_all(store, "partner", std::slice::from_ref(&partner), at);
    }
    let folds = store.folds(None).unwrap();
    assert_eq!(folds.len(), 1, "{folds:?}");
    assert_eq!(folds[0].rule, "exact");
    assert_eq!(folds[0].seen.source, "partner");
}

/// A story stored from a dump, without link, authors or media files,
/// takes them from a copy folded into it (its page), its text as it was;
/// a later copy's link, authors or media files change nothing.
pub fn a_fold_fills_the_link_authors_and_media_the_stored_article_lacks(store: &mut dyn Store) {
    let audio = |url: &str| Enclosure {
        url: url.into(),
        media_type: Some("audio/mpeg".into()),
        length: None,
    };
    let id = fold_all(store, "dump", &[story(HEADLINE, &STORY, "a.txt")], now())[0]
        .id()
        .to_string();
    let link = "https://news.example/harbour";
    let mut page = story(HEADLINE, &STORY, link);
    page.link = Some(link.into());
    page.authors = vec!["Jane Smith".into()];
    page.enclosures = vec![audio("https://news.example/harbour.mp3")];
    page.summary = Some("A summary of its own.".into());
    let later = now() + chrono::Duration::hours(1);
    let folded = fold_one(store, "pages", &page, later);
    let decision = folded.decision;
    assert_eq!(decision.id(), id, "{decision:?}");
    assert!(!decision.updates());
    assert!(
        folded.filled,
        "the fold says it filled what the article lacked"
    );
    let stored = store.article(&id).unwrap().unwrap();
    assert_eq!(stored.link.as_deref(), Some(link));
    assert_eq!(stored.authors, ["Jane Smith"]);
    assert_eq!(
        stored.enclosures,
        [audio("https://news.example/harbour.mp3")]
    );
    assert_eq!(stored.summary, None, "its text and the rest as stored");
    assert_eq!(stored.body.len(), STORY.len());
    let mut other = story(HEADLINE, &STORY, "https://other.example/feed.xml");
    other.link = Some("https://other.example/harbour".into());
    other.authors = vec!["Wire Staff".into()];
    other.enclosures = vec![audio("https://other.example/harbour.mp3")];
    assert!(!fold_one(store, "other", &other, later).filled);
    let stored = store.article(&id).unwrap().unwrap();
    assert_eq!(stored.link.as_deref(), Some(link));
    assert_eq!(stored.authors, ["Jane Smith"]);
    assert_eq!(
        stored.enclosures,
        [audio("https://news.example/harbour.mp3")]
    );
}

/// A copy of a story's text with the photo caption the copy stored first
/// lacked (the page scraped without its photo) gives the story its
/// caption, as it gives a link or authors, whichever file is read first;
/// a copy without captions, or with other ones, leaves the stored caption.
pub fn a_fold_gives_its_captions_to_a_story_stored_without_its_photo(store: &mut dyn Store) {
    let ferry = Caption::credited("The ferry at the harbour pier on Monday.", "AP");
    let bare = story(HEADLINE, &STORY, "a.txt");
    let id = fold_all(store, "dump", std::slice::from_ref(&bare), now())[0]
        .id()
        .to_string();
    let captioned = Article {
        captions: vec![ferry.clone()],
        ..story(HEADLINE, &STORY, "b.txt")
    };
    let folded = fold_one(store, "dump", &captioned, now());
    assert_eq!(folded.decision.id(), id);
    assert!(!folded.updates(), "the text stays: {folded:?}");
    assert!(folded.filled, "the fold says it filled the caption");
    let stored = store.article(&id).unwrap().unwrap();
    assert_eq!(stored.captions, std::slice::from_ref(&ferry));
    assert_eq!(stored.updated, now(), "filling a caption is no edit");

    let other = Article {
        captions: vec![Caption::credited("Passengers waiting for the bus.", "AP")],
        ..story(HEADLINE, &STORY, "c.txt")
    };
    for copy in [&bare, &other] {
        let folded = fold_one(store, "dump", copy, now());
        assert!(!folded.filled && !folded.updates(), "{folded:?}");
        assert_eq!(
            store.article(&id).unwrap().unwrap().captions,
            std::slice::from_ref(&ferry)
        );
    }
}

/// The same headline and text read again with a photo credit corrected
/// and dated later (an `Updated:` line) is the story's next version: it
/// takes the corrected captions and moves `updated` on, its id and
/// `published` as they were. The copy read before the correction, or one
/// not dated later, is a sighting that leaves the corrected captions.
pub fn the_same_text_dated_later_with_its_captions_corrected_updates_the_story(
    store: &mut dyn Store,
) {
    let published = now() - chrono::Duration::days(1);
    let caption = |credit: &str| Caption::credited("The ferry at the harbour pier.", credit);
    let dump = |credit: &str, updated: Option<DateTime<Utc>>| Article {
        published: Some(published),
        updated,
        captions: vec![caption(credit)],
        ..story(HEADLINE, &STORY, "d.txt")
    };
    let first = dump("AP", None);
    let id = fold_all(store, "dump", std::slice::from_ref(&first), now())[0]
        .id()
        .to_string();
    let read = now() + chrono::Duration::days(1);
    let same_date = fold_one(store, "dump", &dump("Reuters", None), read);
    assert!(!same_date.updates(), "not dated later: {same_date:?}");
    assert_eq!(
        store.article(&id).unwrap().unwrap().captions,
        [caption("AP")]
    );

    let revised = now() + chrono::Duration::hours(22);
    let corrected = fold_one(store, "dump", &dump("Reuters", Some(revised)), read);
    assert_eq!(corrected.decision.id(), id);
    assert!(corrected.updates(), "{corrected:?}");
    let stored = store.article(&id).unwrap().unwrap();
    assert_eq!(stored.captions, [caption("Reuters")]);
    assert_eq!(stored.updated, revised);
    assert_eq!(stored.published, published);
    assert_eq!(stored.body.len(), STORY.len());

    for (copy, at) in [(dump("Reuters", Some(revised)), read), (first, read)] {
        let again = fold_one(store, "dump", &copy, at);
        assert!(!again.updates(), "{again:?}");
        let stored = store.article(&id).unwrap().unwrap();
        assert_eq!(stored.captions, [caption("Reuters")]);
        assert_eq!(stored.updated, revised);
    }
}

/// An upstream entry stored before media files were kept is told by its
/// text when seen again, and so is a repeat even when it now gives media
/// files (`dedup::decide`); recording that repeat fills the media files
/// in, its text, id and dates as they were, and seen again, nothing more.
pub fn an_entry_stored_without_its_media_files_takes_them_when_seen_again(store: &mut dyn Store) {
    let bare = entry("bulletin-22", "https://up.example/bulletin-22", STORY[0]);
    let id = fold_all(store, "up", std::slice::from_ref(&bare), now())[0]
        .id()
        .to_string();
    let before = store.article(&id).unwrap().unwrap();
    let mut with_audio = bare.clone();
    with_audio.enclosures = vec![Enclosure {
        url: "https://up.example/bulletin-22.mp3".into(),
        media_type: Some("audio/mpeg".into()),
        length: Some(2_345_678),
    }];
    let repeat = |store: &mut dyn Store, at: DateTime<Utc>| {
        let mut writer = store.begin("up").unwrap();
        let fingerprints = Fingerprints::of(&with_audio, "up");
        let known = writer.known(&fingerprints).unwrap();
        let found_under = known.entry.as_ref().map(|e| e.key.clone());
        let decision = Decision::Repeat {
            id: id.clone(),
            by: Exact::Entry,
        };
        let recorded = writer
            .record(&Decided {
                article: &with_audio,
                headline: &with_audio.title,
                fingerprints: &fingerprints,
                decision: &decision,
                found_under: found_under.as_deref(),
                dates: Dates::of(&with_audio, at),
                now: at,
                shows_local_intro: false,
                page_read: false,
                another_copy: false,
            })
            .unwrap();
        writer.commit(&|| at).unwrap();
        recorded.filled
    };
    let later = now() + chrono::Duration::hours(1);
    assert!(repeat(store, later), "the media files were filled in");
    let stored = store.article(&id).unwrap().unwrap();
    assert_eq!(stored.enclosures, with_audio.enclosures);
    assert_eq!(stored.body, before.body);
    assert_eq!(
        (stored.published, stored.updated),
        (before.published, before.updated)
    );
    assert!(
        !repeat(store, later + chrono::Duration::hours(1)),
        "nothing is missing any more"
    );
}

pub fn a_page_fills_the_teaser_its_link_stood_for(store: &mut dyn Store) {
    let link = "https://news.example/harbour";
    let mut teaser = story(
        HEADLINE,
        &["The port board approved the harbour expansion on Monday."],
        "https://up.example/feed.xml",
    );
    teaser.link = Some(link.into());
    let id = fold_all(store, "wire", std::slice::from_ref(&teaser), now())[0]
        .id()
        .to_string();
    let mut page = story("Harbour expansion approved", &STORY, link);
    page.link = Some(link.into());
    let later = now() + chrono::Duration::hours(1);
    let decision = fold_all(store, "site", &[page], later).remove(0);
    assert!(
        matches!(&decision, Decision::Near { id: i, rule: Rule::SameLink, update: Some(Update::Longer), .. } if *i == id),
        "{decision:?}"
    );
    let stored = store.article(&id).unwrap().unwrap();
    assert_eq!(stored.body.len(), STORY.len());
    assert_eq!(stored.title, "Harbour expansion approved");
    let recorded = store.folds(None).unwrap();
    assert_eq!(recorded.len(), 1);
    assert_eq!(
        (recorded[0].rule.as_str(), recorded[0].replaced.as_deref()),
        ("same-link", Some("longer"))
    );
    // The teaser seen again elsewhere replaces nothing.
    let again = fold_all(store, "aggregator", &[teaser], later).remove(0);
    assert!(
        matches!(&again, Decision::Repeat { id: i, .. } if *i == id),
        "{again:?}"
    );
    assert_eq!(store.article(&id).unwrap().unwrap().body.len(), STORY.len());
}

pub fn an_edited_teaser_leaves_the_fuller_text_its_page_gave(store: &mut dyn Store) {
    let link = "https://news.example/harbour";
    let teaser = |text: &str| Article {
        title: HEADLINE.into(),
        ..entry("guid-7", link, text)
    };
    let short = "The port board approved the harbour expansion on Monday.";
    let id = fold_all(store, "wire", &[teaser(short)], now())[0]
        .id()
        .to_string();
    let mut page = story(HEADLINE, &STORY, link);
    page.link = Some(link.into());
    let later = now() + chrono::Duration::hours(1);
    fold_all(store, "site", &[page], later);
    assert_eq!(store.article(&id).unwrap().unwrap().body.len(), STORY.len());

    // The feed fixes a word of its summary: a sighting of the story, not a
    // replacement of the page's text by a summary; seen again, the edited
    // summary is known.
    let edited = "The port board approved the harbour expansion on Monday evening.";
    let again = fold_all(store, "wire", &[teaser(edited)], later).remove(0);
    assert_eq!(
        again,
        Decision::Repeat {
            id: id.clone(),
            by: Exact::EditedEntry
        }
    );
    let known = fold_all(store, "wire", &[teaser(edited)], later).remove(0);
    assert_eq!(
        known,
        Decision::Repeat {
            id: id.clone(),
            by: Exact::Entry
        }
    );
    let stored = store.article(&id).unwrap().unwrap();
    assert_eq!(stored.body.len(), STORY.len());
    assert_eq!(stored.updated, later);
    // Once it carries the full text and more, its entry updates the story.
    let mut full = STORY.to_vec();
    full.push(LATER);
    let fuller = Article {
        body: full.iter().map(|p| Block::paragraph(*p)).collect(),
        ..teaser(edited)
    };
    let last = later + chrono::Duration::hours(1);
    let third = fold_all(store, "wire", &[fuller], last).remove(0);
    assert_eq!(third, Decision::Update { id: id.clone() });
    assert_eq!(
        store.article(&id).unwrap().unwrap().body.len(),
        STORY.len() + 1
    );
}

/// A full-text entry, its text standing for its page, whose page now
/// gives less (a paywall's first paragraph) keeps the text read before,
/// and its edited headline or summary lands over it as an update of its
/// article: `updated` moves to when it was read, or to the entry's own
/// update date when it gives one. Seen again unchanged, it is known and
/// nothing moves.
/// A full-text entry folded into another source's story (its page's text
/// repeating the story's), its text standing for its page again (the page
/// not modified since), gives the story its edited headline when the edit
/// is the story's next version (its headline with words added), as the
/// entry's page read again would; under a headline of its own it is a
/// sighting and the story keeps its headline.
pub fn a_folded_entrys_edits_over_the_page_text_update_the_story_under_its_headline(
    store: &mut dyn Store,
) {
    let hour = chrono::Duration::hours(1);
    let id = fold_all(store, "dump", &[story(HEADLINE, &STORY, "a.txt")], now())[0]
        .id()
        .to_string();
    let read = |title: &str, paragraphs: &[&str]| Article {
        title: title.into(),
        body: paragraphs.iter().map(|p| Block::paragraph(*p)).collect(),
        captions: Vec::new(),
        page_text: true,
        ..entry("guid-12", "https://news.example/harbour", "")
    };
    let page = fold_one(store, "herald", &read(HEADLINE, &STORY), now() + hour);
    assert_eq!(page.decision.id(), id, "{page:?}");
    assert!(page.copy, "{page:?}");

    let retitled = fold_one(
        store,
        "herald",
        &read("Fishing fleet wins a berth of its own", &STORY[..1]),
        now() + hour * 2,
    );
    assert_eq!(
        retitled.decision,
        Decision::Repeat {
            id: id.clone(),
            by: Exact::EditedEntry
        }
    );
    assert!(!retitled.updates(), "{retitled:?}");
    assert_eq!(store.article(&id).unwrap().unwrap().title, HEADLINE);

    let corrected = format!("{HEADLINE} After Year-Long Dispute");
    let edited = fold_one(
        store,
        "herald",
        &read(&corrected, &STORY[..1]),
        now() + hour * 3,
    );
    assert!(edited.edited && edited.updates(), "{edited:?}");
    let stored = store.article(&id).unwrap().unwrap();
    assert_eq!(
        (stored.title.as_str(), stored.body.len()),
        (corrected.as_str(), STORY.len())
    );
    assert_eq!(stored.updated, now() + hour * 3);
}

/// An upstream entry read again at another line of its document (moved
/// there, or recorded at its position in the document by an earlier
/// release) is placed there: the sighting it made and its fold follow it,
/// its ids and dates untouched. A second entry of the story in one
/// document, folded as another copy, leaves the first entry its sighting.
pub fn an_entry_read_again_at_another_line_is_placed_there(store: &mut dyn Store) {
    let at = |key: &str, location: &str, line: usize| Article {
        origin: Origin {
            location: location.into(),
            line,
        },
        ..entry(key, &format!("https://up.example/{key}"), STORY[0])
    };
    let first = fold_all(
        store,
        "a",
        &[at("a-1", "a.xml", 1), at("a-2", "a.xml", 2)],
        now(),
    );
    let id = first[0].id().to_string();
    fold_all(store, "b", &[at("b-1", "b.xml", 1)], now());
    let places = |store: &mut dyn Store| {
        let seen: Vec<(String, i64)> = store
            .sightings(&id)
            .unwrap()
            .into_iter()
            .map(|s| (s.location, s.line))
            .collect();
        let mut folds: Vec<(String, String, i64)> = store
            .folds(None)
            .unwrap()
            .into_iter()
            .map(|f| (f.copy_id, f.seen.location, f.seen.line))
            .collect();
        folds.sort();
        (seen, folds)
    };
    let (_, before) = places(store);
    assert_eq!(before.len(), 2, "{before:?}");

    let later = now() + chrono::Duration::hours(1);
    fold_all(
        store,
        "a",
        &[at("a-1", "a.xml", 3), at("a-2", "a.xml", 12)],
        later,
    );
    fold_all(store, "b", &[at("b-1", "b.xml", 3)], later);
    let (seen, folds) = places(store);
    assert_eq!(seen, [("a.xml".into(), 3), ("b.xml".into(), 3)]);
    let lines: Vec<(&str, i64)> = folds
        .iter()
        .map(|(_, at, line)| (at.as_str(), *line))
        .collect();
    assert_eq!(lines.len(), 2);
    assert!(
        lines.contains(&("a.xml", 12)) && lines.contains(&("b.xml", 3)),
        "{folds:?}"
    );
    let ids: Vec<&String> = folds.iter().map(|(copy, ..)| copy).collect();
    let ids_before: Vec<&String> = before.iter().map(|(copy, ..)| copy).collect();
    assert_eq!(ids, ids_before, "the copies keep their ids");
    let stored = store.article(&id).unwrap().unwrap();
    assert_eq!((stored.published, stored.updated), (now(), now()));
}

pub fn an_entrys_edits_over_the_page_text_it_keeps_update_its_article(store: &mut dyn Store) {
    let hour = chrono::Duration::hours(1);
    let published = now() - chrono::Duration::days(1);
    let read = |title: &str, paragraphs: &[&str]| Article {
        title: title.into(),
        summary: Some("The port board met on Monday.".into()),
        body: paragraphs.iter().map(|p| Block::paragraph(*p)).collect(),
        captions: Vec::new(),
        published: Some(published),
        page_text: true,
        ..entry("guid-9", "https://news.example/harbour", "")
    };
    let id = fold_all(store, "herald", &[read(HEADLINE, &STORY)], now())[0]
        .id()
        .to_string();

    let corrected = "Port of Calder Board Approves Harbour Expansion";
    let paywalled = read(corrected, &STORY[..1]);
    let edited = fold_one(store, "herald", &paywalled, now() + hour);
    assert_eq!(
        edited.decision,
        Decision::Repeat {
            id: id.clone(),
            by: Exact::EditedEntry
        }
    );
    assert!(edited.edited && edited.updates(), "{edited:?}");
    let stored = store.article(&id).unwrap().unwrap();
    assert_eq!(
        (stored.title.as_str(), stored.body.len()),
        (corrected, STORY.len())
    );
    assert_eq!(
        (stored.published, stored.updated),
        (published, now() + hour)
    );

    let again = fold_one(store, "herald", &paywalled, now() + hour * 2);
    assert_eq!(
        again.decision,
        Decision::Repeat {
            id: id.clone(),
            by: Exact::Entry
        }
    );
    assert!(!again.updates(), "{again:?}");
    assert_eq!(store.article(&id).unwrap().unwrap().updated, now() + hour);

    let summary = "The port board approved the expansion on Monday evening.";
    let dated = Article {
        summary: Some(summary.into()),
        updated: Some(now() + hour * 2),
        ..paywalled
    };
    let edited = fold_one(store, "herald", &dated, now() + hour * 3);
    assert!(edited.edited, "{edited:?}");
    let stored = store.article(&id).unwrap().unwrap();
    assert_eq!(stored.summary.as_deref(), Some(summary));
    assert_eq!(stored.body.len(), STORY.len());
    assert_eq!(stored.updated, now() + hour * 2);
}

pub fn the_band_lookup_finds_an_edited_copy_and_records_why(store: &mut dyn Store) {
    let original = story(HEADLINE, &STORY, "a.txt");
    let id = fold_all(store, "s", &[original], now())[0].id().to_string();
    // A wire dateline and one fixed typo: the body moves a few bits and
    // every paragraph but one keeps its print.
    let typo = STORY[1].replace("berths", "bertsh");
    let dated = format!("CALDER (Reuters) - {}", STORY[0]);
    let edited = story(HEADLINE, &[&dated, &typo, STORY[2], STORY[3]], "b.txt");
    let prints = Fingerprints::of(&edited, "s").near;
    let (found, verdict) = near_match(store, &prints, &NearConfig::default()).expect("a candidate");
    assert_eq!(found, id);
    assert!(verdict.is_same(), "{verdict:?}");
    let decision = fold_all(store, "s", std::slice::from_ref(&edited), now()).remove(0);
    assert_eq!(decision.id(), id);
    assert!(!decision.updates(), "same length, not newer: {decision:?}");
    // Seen again at the same place: an exact repeat, no second record.
    fold_all(store, "s", &[edited], now());
    // The original seen at another place: recorded as exact.
    fold_all(store, "s", &[story(HEADLINE, &STORY, "c.txt")], now());
    let recorded = store.folds(None).unwrap();
    assert_eq!(recorded.len(), 2);
    assert_eq!(recorded[0].rule, verdict.rule.as_str());
    assert_eq!(recorded[0].distance, Some(verdict.distance));
    assert_eq!(recorded[0].seen.location, "b.txt");
    assert_eq!(recorded[0].copy_title, HEADLINE);
    assert_eq!(recorded[0].article_title, HEADLINE);
    assert_ne!(recorded[0].copy_id, id);
    assert_eq!(
        recorded[0]
            .article_seen
            .as_ref()
            .map(|s| s.location.as_str()),
        Some("a.txt")
    );
    assert_eq!(
        (recorded[1].rule.as_str(), recorded[1].distance),
        ("exact", Some(0))
    );
    assert_eq!(recorded[1].copy_id, id);
    let later = now() + chrono::Duration::seconds(1);
    assert!(store.folds(Some(later)).unwrap().is_empty());
}

pub fn same_titled_briefings_with_other_bodies_stay_apart(store: &mut dyn Store) {
    let decisions = fold_all(
        store,
        "s",
        &[
            story("Morning Briefing", &STORY[..2], "a.txt"),
            story("Morning Briefing", &STORY[2..], "a.txt"),
        ],
        now(),
    );
    assert!(
        matches!(decisions[1], Decision::New { .. }),
        "{decisions:?}"
    );
    assert_eq!(store.article_count().unwrap(), 2);
    assert!(store.folds(None).unwrap().is_empty());
}

pub fn near_folding_off_keeps_edited_copies_apart(store: &mut dyn Store) {
    let mut paragraphs = STORY.to_vec();
    paragraphs.push(LATER);
    let decisions = fold_with(
        store,
        "s",
        &[
            story(HEADLINE, &STORY, "a.txt"),
            story(HEADLINE, &paragraphs, "b.txt"),
        ],
        now(),
        None,
    );
    assert!(matches!(decisions[1], Decision::New { .. }));
    // Prints were kept all the same: turning it on finds the pair.
    let prints = Fingerprints::of(&story(HEADLINE, &STORY[..3], "c.txt"), "s").near;
    assert!(near_match(store, &prints, &NearConfig::default()).is_some());
}

pub fn another_distance_recuts_the_bands(store: &mut dyn Store) {
    // A copy with another headline and a typo in its one paragraph:
    // found only through the body bands (no headline or paragraph key
    // in common), which at distance 3 miss it.
    let first = story(HEADLINE, &[&STORY.join(" ")], "a.txt");
    let id = fold_all(store, "s", &[first], now())[0].id().to_string();
    let edited = STORY.join(" ").replace("spur", "spurr");
    let copy = story(
        "Calder harbour expansion approved by port board",
        &[&edited],
        "b.txt",
    );
    let prints = Fingerprints::of(&copy, "s").near;
    let distance = hamming(
        prints.simhash,
        Fingerprints::of(&story(HEADLINE, &[&STORY.join(" ")], "a.txt"), "s")
            .near
            .simhash,
    );
    assert_eq!(distance, 5);
    let wide = NearConfig {
        max_distance: 6,
        ..NearConfig::default()
    };
    assert_eq!(near_match(store, &prints, &wide), None, "keyed for 3 bits");
    assert!(store.rekey_near_index(6).unwrap());
    assert!(!store.rekey_near_index(6).unwrap(), "already keyed for 6");
    let found = near_match(store, &prints, &wide).map(|(id, _)| id);
    assert_eq!(found.as_deref(), Some(id.as_str()));
    // A fold after the re-keying finds it too.
    let folded = fold_with(store, "s", &[copy], now(), Some(&wide)).remove(0);
    assert!(
        matches!(&folded, Decision::Near { id: into, .. } if *into == id),
        "{folded:?}"
    );
    let narrow = NearConfig {
        max_distance: 0,
        ..NearConfig::default()
    };
    assert!(store.rekey_near_index(0).unwrap());
    assert_eq!(near_match(store, &prints, &narrow), None);
}

pub fn ids_are_stable_and_come_from_content_or_upstream_key(store: &mut dyn Store) {
    let dump = article("Tram Line Opens", "The first tram ran at dawn.", "a.txt");
    let expected = Fingerprints::of(&dump, "desk").new_id;
    let first = fold_all(store, "desk", std::slice::from_ref(&dump), now());
    assert_eq!(first[0].id(), expected);
    assert!(expected.starts_with("tag:feedfold.invalid,2026:article:"));
    // The same story from another source keeps the first id.
    let again = fold_all(store, "other", &[dump], now());
    assert_eq!(again[0].id(), expected);
    // An entry's id comes from its source and upstream key, whatever its
    // content becomes.
    let entry_id = fold_all(
        store,
        "wire",
        &[entry("g-7", "https://up.example/7", "One.")],
        now(),
    )[0]
    .id()
    .to_string();
    assert!(entry_id.starts_with("tag:feedfold.invalid,2026:entry:"));
    let changed = fold_all(
        store,
        "wire",
        &[entry("g-7", "https://up.example/7", "Two.")],
        now(),
    );
    assert_eq!(
        changed[0],
        Decision::Update {
            id: entry_id.clone()
        }
    );
    assert!(store.article(&entry_id).unwrap().is_some());
    assert_eq!(store.article_count().unwrap(), 2);
}

pub fn fetch_state_is_kept_per_source_and_with_the_batch(store: &mut dyn Store) {
    const URL: &str = "https://up.example/wire.xml?key=s3cret";
    assert_eq!(store.fetch_state("wire").unwrap(), FetchState::default());
    let failing = FetchState::fresh(URL)
        .failed("HTTP 500", None, now())
        .failed("HTTP 503", Some(std::time::Duration::from_secs(90)), now());
    store.put_fetch_state("wire", &failing).unwrap();
    let kept = store.fetch_state("wire").unwrap();
    assert_eq!(kept, failing);
    assert!(kept.is_for(URL), "the location it was recorded for is kept");
    assert_eq!(kept.last_outcome, Some(Outcome::Failed));
    assert_eq!(kept.last_attempt, Some(now()));
    assert_eq!(store.fetch_state("other").unwrap(), FetchState::default());
    let validators = Validators {
        etag: Some("\"v2\"".into()),
        last_modified: Some("Sat, 28 Nov 2026 09:00:00 GMT".into()),
    };
    let mut writer = store.begin("wire").unwrap();
    writer
        .put_fetch_state(&FetchState::succeeded(URL, validators.clone(), now()))
        .unwrap();
    writer.commit(&now).unwrap();
    let kept = store.fetch_state("wire").unwrap();
    assert_eq!(kept.validators, validators);
    assert_eq!(
        (kept.failures, kept.next_attempt, kept.last_error.as_deref()),
        (0, None, None)
    );
    assert_eq!(kept.last_outcome, Some(Outcome::Fetched));
    let later = now() + chrono::Duration::minutes(15);
    store
        .put_fetch_state("wire", &kept.not_modified(Validators::default(), later))
        .unwrap();
    let kept = store.fetch_state("wire").unwrap();
    assert_eq!(
        (
            kept.last_outcome,
            kept.last_attempt,
            kept.validators.clone()
        ),
        (Some(Outcome::NotModified), Some(later), validators.clone())
    );
    // A 304 that sent a new ETag: that one is sent next time.
    let renewed = Validators {
        etag: Some("\"v3\"".into()),
        last_modified: None,
    };
    store
        .put_fetch_state("wire", &kept.not_modified(renewed, later))
        .unwrap();
    let kept = store.fetch_state("wire").unwrap();
    assert_eq!(kept.validators.etag.as_deref(), Some("\"v3\""));
    assert_eq!(kept.validators.last_modified, validators.last_modified);
}

/// Two processes that fetch one source at once fold one after the
/// other: the fetch state of the read that began first, folded last, is
/// older than the one kept and leaves it, and the writer tells that the
/// stored text came from a later fetch.
pub fn a_read_fetched_before_the_one_kept_leaves_it(store: &mut dyn Store) {
    const URL: &str = "https://up.example/wire.xml";
    let validators = |etag: &str| Validators {
        etag: Some(format!("\"{etag}\"")),
        last_modified: None,
    };
    let first = Utc::now() - chrono::Duration::seconds(10);
    let second = first + chrono::Duration::milliseconds(700);
    let mut writer = store.begin("wire").unwrap();
    assert!(!writer.read_later_than(first).unwrap(), "nothing read yet");
    writer
        .put_fetch_state(&FetchState::succeeded(URL, validators("v2"), now()).read_at(second))
        .unwrap();
    writer.commit(&now).unwrap();
    let mut writer = store.begin("wire").unwrap();
    assert!(writer.read_later_than(first).unwrap());
    // A backend that weighs reads on another clock places both on it
    // within the moment a query takes.
    assert!(
        !writer
            .read_later_than(second + chrono::Duration::milliseconds(50))
            .unwrap()
    );
    let older = FetchState::succeeded(URL, validators("v1"), now()).read_at(first);
    writer.put_fetch_state(&older).unwrap();
    writer.commit(&now).unwrap();
    assert_eq!(
        store.fetch_state("wire").unwrap().validators,
        validators("v2")
    );
    store.put_fetch_state("wire", &older).unwrap();
    let kept = store.fetch_state("wire").unwrap();
    assert_eq!(kept.validators, validators("v2"));
    // A failure after it keeps the read it follows, and lands.
    store
        .put_fetch_state("wire", &kept.failed("HTTP 500", None, now()))
        .unwrap();
    let kept = store.fetch_state("wire").unwrap();
    assert_eq!((kept.failures, kept.validators), (1, validators("v2")));
    // A read kept under a clock that ran ahead tells nothing.
    let ahead = Utc::now() + chrono::Duration::days(1);
    store
        .put_fetch_state(
            "wire",
            &FetchState::succeeded(URL, validators("v3"), now()).read_at(ahead),
        )
        .unwrap();
    let mut writer = store.begin("wire").unwrap();
    assert!(!writer.read_later_than(first).unwrap());
    writer.put_fetch_state(&older).unwrap();
    writer.commit(&now).unwrap();
    assert_eq!(
        store.fetch_state("wire").unwrap().validators,
        validators("v1")
    );
}

pub fn fetch_state_follows_the_location_and_can_be_cleared(store: &mut dyn Store) {
    use feedfold::store::copy::copy;
    const OLD: &str = "https://up.example/newz.rss";
    const NEW: &str = "https://up.example/news.rss";
    let backing_off = FetchState::fresh(OLD)
        .failed("https://up.example/newz.rss: HTTP 404", None, now())
        .failed("https://up.example/newz.rss: HTTP 404", None, now());
    store.put_fetch_state("wire", &backing_off).unwrap();
    store.put_fetch_state("other", &backing_off).unwrap();
    let stored = store.fetch_state("wire").unwrap();
    assert!(!stored.clone().applying_to(OLD).due(now()));
    let moved = stored.applying_to(NEW);
    assert!(moved.due(now()), "a changed URL starts afresh");
    assert_eq!((moved.failures, moved.last_error), (0, None));

    // The location travels with the state through a copy, both ways.
    let mut memory = SqliteStore::open_in_memory().unwrap();
    let copied = copy(store, &mut memory, &mut |_| {}).unwrap();
    assert_eq!(copied.counts.fetch_states, 2);
    assert_eq!(memory.fetch_state("wire").unwrap(), backing_off);
    assert!(memory.clear_fetch_state("wire").unwrap());
    memory
        .put_fetch_state(
            "wire",
            &FetchState::succeeded(NEW, Validators::default(), now()),
        )
        .unwrap();
    copy(&mut memory, store, &mut |_| {}).unwrap();
    assert!(store.fetch_state("wire").unwrap().is_for(NEW));

    assert!(store.clear_fetch_state("wire").unwrap());
    assert!(
        !store.clear_fetch_state("wire").unwrap(),
        "nothing left to clear"
    );
    assert_eq!(store.fetch_state("wire").unwrap(), FetchState::default());
    assert_eq!(
        store.fetch_state("other").unwrap(),
        backing_off,
        "other sources keep theirs"
    );
}

/// A source whose URL changed keeps no state of the old URL: the new
/// one's failures are counted from the first and back it off.
pub fn failures_of_a_new_location_replace_the_old_locations_state(store: &mut dyn Store) {
    const OLD: &str = "https://up.example/news.rss";
    const NEW: &str = "https://up.example/moved.rss";
    let read = FetchState::succeeded(OLD, Validators::default(), now()).read_at(now());
    store.put_fetch_state("wire", &read).unwrap();
    // The source's URL changed and the new one fails: a fresh state that
    // was never read, yet it replaces the old location's.
    let mut state = store.fetch_state("wire").unwrap().applying_to(NEW);
    for _ in 0..2 {
        state = state.failed("https://up.example/moved.rss: HTTP 500", None, now());
        store.put_fetch_state("wire", &state).unwrap();
        state = store.fetch_state("wire").unwrap().applying_to(NEW);
    }
    assert!(state.is_for(NEW));
    assert_eq!(state.failures, 2);
    assert_eq!(state.last_outcome, Some(Outcome::Failed));
    assert!(!state.due(now()), "two failures in a row back off");
}

pub fn documents_validators_are_kept_with_the_batch_replaced_whole_and_copied(
    store: &mut dyn Store,
) {
    use feedfold::ingest::fetch_state::{DocumentValidators, location_key};
    use feedfold::store::copy::copy;
    let key = |path: &str| location_key(&format!("https://site.example/{path}"));
    let tagged = |tag: &str| Validators {
        etag: Some(format!("\"{tag}\"")),
        last_modified: Some("Sat, 28 Nov 2026 09:00:00 GMT".into()),
    };
    let dated = Validators {
        etag: None,
        last_modified: Some("Fri, 27 Nov 2026 22:00:00 GMT".into()),
    };
    let put = |store: &mut dyn Store, source: &str, documents: &DocumentValidators| {
        let mut writer = store.begin(source).unwrap();
        writer.put_document_validators(documents).unwrap();
        writer.commit(&now).unwrap();
    };
    assert!(store.document_validators("site").unwrap().is_empty());
    let first = DocumentValidators::from([
        (key("post-sitemap.xml"), tagged("p1")),
        (key("page-sitemap.xml"), dated.clone()),
    ]);
    put(store, "site", &first);
    put(store, "other", &first);
    assert_eq!(store.document_validators("site").unwrap(), first);
    // A transaction rolled back leaves what was kept.
    {
        let mut writer = store.begin("site").unwrap();
        writer
            .put_document_validators(&DocumentValidators::new())
            .unwrap();
    }
    assert_eq!(store.document_validators("site").unwrap(), first);
    // The next good fetch's set replaces the whole set: a sitemap no longer
    // listed (or to be read whole) keeps nothing.
    let next = DocumentValidators::from([
        (key("post-sitemap.xml"), tagged("p2")),
        (key("news-sitemap.xml"), tagged("n1")),
    ]);
    put(store, "site", &next);
    assert_eq!(store.document_validators("site").unwrap(), next);
    assert_eq!(
        store.document_validators("other").unwrap(),
        first,
        "other sources keep theirs"
    );

    // Copied both ways; what a `sources reset` forgot, the copy forgets.
    let mut memory = SqliteStore::open_in_memory().unwrap();
    let copied = copy(store, &mut memory, &mut |_| {}).unwrap();
    assert_eq!(copied.counts.document_validators, 4);
    assert_eq!(memory.document_validators("site").unwrap(), next);
    assert_eq!(memory.fetched_sources().unwrap(), ["other", "site"]);
    assert!(memory.clear_fetch_state("site").unwrap());
    assert!(memory.document_validators("site").unwrap().is_empty());
    assert_eq!(memory.fetched_sources().unwrap(), ["other"]);
    let copied = copy(&mut memory, store, &mut |_| {}).unwrap();
    assert_eq!(copied.counts.document_validators, 2);
    assert!(store.document_validators("site").unwrap().is_empty());
    assert_eq!(store.document_validators("other").unwrap(), first);
    assert!(store.clear_fetch_state("other").unwrap());
    assert!(store.document_validators("other").unwrap().is_empty());
}

pub fn clearing_a_sources_fetch_state_forgets_its_pages(store: &mut dyn Store) {
    let urls: Vec<String> = ["https://site.example/a", "https://site.example/b"]
        .map(String::from)
        .to_vec();
    for source in ["site", "other"] {
        let mut writer = store.begin(source).unwrap();
        writer.remember_page(&read_at(&urls[0], "")).unwrap();
        writer.remember_page(&read_at(&urls[1], "v1")).unwrap();
        writer.commit(&now).unwrap();
    }
    assert!(
        store.clear_fetch_state("site").unwrap(),
        "pages are fetch state too"
    );
    assert!(store.pages_seen("site", &urls).unwrap().is_empty());
    assert_eq!(
        store.pages_seen("other", &urls).unwrap().len(),
        2,
        "other sources keep theirs"
    );
    assert!(!store.clear_fetch_state("site").unwrap());
}

const WORDS: [&str; 26] = [
    "ferries", "markets", "rain", "council", "schools", "harbour", "trains", "budget", "museum",
    "football", "bridge", "hospital", "library", "festival", "airport", "tram", "river", "farmers",
    "housing", "police", "theatre", "energy", "weather", "courts", "parks", "roads",
];

pub fn candidates_are_capped_per_key_and_listed_once(store: &mut dyn Store) {
    // Twenty "Morning Briefing"s share the headline key; each is its own
    // story.
    let briefings: Vec<Article> = (0..20)
        .map(|i| {
            story(
                "Morning Briefing",
                &[&format!("Edition {i}: {}.", WORDS[i..i + 6].join(" "))],
                "briefings.txt",
            )
        })
        .collect();
    let decisions = fold_all(store, "s", &briefings, now());
    assert!(decisions.iter().all(|d| matches!(d, Decision::New { .. })));
    let prints = Fingerprints::of(&briefings[19], "s").near;
    let mut writer = store.begin("lookup").unwrap();
    let candidates = writer.near_candidates(&prints, CANDIDATES_PER_KEY).unwrap();
    let mut ids: Vec<&str> = candidates.iter().map(|c| c.id.as_str()).collect();
    let found = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), found, "each candidate once");
    assert!(ids.contains(&decisions[19].id()), "the newest with the key");
    assert!(
        !ids.contains(&decisions[0].id()),
        "the oldest is past the cap"
    );
    let narrow = writer.near_candidates(&prints, 1).unwrap();
    assert!(narrow.len() < found);
    // The words of each paragraph are the incoming copy's alone. The
    // briefing came undated: its `updated` is when it was first seen, no
    // date a source gave, and a candidate is judged without it.
    let stored = NearPrints {
        published: Some(now()),
        updated: None,
        paragraph_texts: Vec::new(),
        as_written: Default::default(),
        ..prints
    };
    assert_eq!(
        narrow[0].prints, stored,
        "prints as stored, dated as the article by its source"
    );
}

/// An article that came with no date is dated when first seen, which is
/// no publication date: a copy dated weeks before folds into it, on every
/// backend and after `store copy`, and gives it its date, while two copies
/// that each give their date are still kept apart by rule "dated-apart".
pub fn an_article_dated_only_when_first_seen_is_near_every_date(store: &mut dyn Store) {
    let days = chrono::Duration::days;
    let undated = story(HEADLINE, &STORY, "a.txt");
    fold_all(store, "s", std::slice::from_ref(&undated), now());
    let mut dated = story(&format!("{HEADLINE} - Calder Herald"), &STORY, "b.txt");
    dated.published = Some(now() - days(40));

    let mut copy = copied(store);
    let prints = Fingerprints::of(&dated, "s").near;
    let mut reader = copy.begin("s").unwrap();
    let candidates = reader.near_candidates(&prints, CANDIDATES_PER_KEY).unwrap();
    let first = candidates
        .iter()
        .find(|c| c.prints.headline == NearPrints::of(&undated).headline)
        .expect("the undated story is a candidate");
    assert!(first.prints.undated, "{:?}", first.prints);
    drop(reader);

    for store in [store, &mut copy as &mut dyn Store] {
        let decisions = fold_all(store, "s", &[dated.clone()], now() + days(1));
        assert!(
            matches!(decisions[0], Decision::Near { .. }),
            "{:?}",
            decisions[0]
        );
        assert_eq!(store.article_count().unwrap(), 1);
        let stored = store.article(decisions[0].id()).unwrap().unwrap();
        assert_eq!(stored.published, now() - days(40), "the copy's date");
    }

    let report = [
        "The harbour board published its annual report on Friday, showing that cargo volumes \
         rose by a tenth over the year while passenger numbers on the island ferries fell.",
        "Container traffic reached a record, the report said, helped by the new crane on the \
         northern quay and by longer opening hours at the customs office.",
        "The board warned that dredging costs would rise next year because the river had \
         carried more silt into the channel during the wet winter.",
    ];
    let mut given = story("Annual Harbour Report", &report, "c.txt");
    given.published = Some(now());
    fold_all(&mut copy, "s", &[given.clone()], now());
    let mut next_year = given.clone();
    next_year.title = "Annual Harbour Report - Calder Herald".into();
    next_year.published = Some(now() + days(365));
    let decisions = fold_all(&mut copy, "s", &[next_year], now() + days(365));
    assert!(
        matches!(decisions[0], Decision::New { .. }),
        "{:?}",
        decisions[0]
    );
}

pub fn an_unknown_article_and_an_empty_store_answer_nothing(store: &mut dyn Store) {
    assert_eq!(store.article_count().unwrap(), 0);
    assert_eq!(store.article("tag:nothing").unwrap(), None);
    assert!(store.sightings("tag:nothing").unwrap().is_empty());
    assert!(store.folds(None).unwrap().is_empty());
    assert!(store.feed_entries(None, None, 10).unwrap().is_empty());
    let prints = Fingerprints::of(&story(HEADLINE, &STORY, "a.txt"), "s");
    let mut writer = store.begin("s").unwrap();
    assert_eq!(writer.known(&prints).unwrap(), Default::default());
    assert!(
        writer
            .near_candidates(&prints.near, CANDIDATES_PER_KEY)
            .unwrap()
            .is_empty()
    );
}

/// The page at `url` remembered as read at `version`, its fetch having
/// given no validators.
fn read_at(url: &str, version: &str) -> SeenPage {
    read_with(url, version, Validators::default())
}

/// The page at `url` remembered as read at `version`, its fetch having
/// given `validators`.
fn read_with(url: &str, version: &str, validators: Validators) -> SeenPage {
    SeenPage {
        url: url.to_string(),
        version: version.to_string(),
        validators,
    }
}

/// Validators as a page's server gives them, tagged `tag`.
fn page_validators(tag: &str) -> Validators {
    Validators {
        etag: Some(format!("\"{tag}\"")),
        last_modified: Some("Sat, 05 Dec 2026 10:00:00 GMT".into()),
    }
}

pub fn pages_seen_are_kept_per_source_with_their_version(store: &mut dyn Store) {
    let urls: Vec<String> = ["https://site.example/a", "https://site.example/b"]
        .map(String::from)
        .to_vec();
    assert!(store.pages_seen("site", &urls).unwrap().is_empty());
    let mut writer = store.begin("site").unwrap();
    writer.remember_page(&read_at(&urls[0], "")).unwrap();
    writer.begin_unit().unwrap();
    writer
        .remember_page(&read_at(&urls[1], "2026-11-30T08:00:00Z"))
        .unwrap();
    writer.end_unit(false).unwrap();
    writer.commit(&now).unwrap();
    let seen = store.pages_seen("site", &urls).unwrap();
    assert_eq!(seen.len(), 1, "the discarded unit's page is not remembered");
    assert_eq!(seen[&urls[0]].version, "");
    assert!(store.pages_seen("other", &urls).unwrap().is_empty());

    let mut writer = store.begin("site").unwrap();
    writer.remember_page(&read_at(&urls[0], "v2")).unwrap();
    writer.remember_page(&read_at(&urls[1], "v1")).unwrap();
    drop(writer);
    assert_eq!(
        store.pages_seen("site", &urls).unwrap().len(),
        1,
        "rolled back"
    );
    let mut writer = store.begin("site").unwrap();
    writer
        .remember_page(&read_with(&urls[0], "v2", page_validators("a1")))
        .unwrap();
    writer.commit(&now).unwrap();
    assert_eq!(
        store.pages_seen("site", &urls).unwrap()[&urls[0]],
        PageVersion {
            version: "v2".into(),
            validators: page_validators("a1")
        },
        "with the validators of its fetch"
    );
    // Read again at a later version, with the validators that fetch gave.
    let etag_only = Validators {
        etag: Some("\"a2\"".into()),
        last_modified: None,
    };
    let mut writer = store.begin("site").unwrap();
    writer
        .remember_page(&read_with(&urls[0], "v3", etag_only.clone()))
        .unwrap();
    writer.commit(&now).unwrap();
    assert_eq!(
        store.pages_seen("site", &urls).unwrap()[&urls[0]],
        PageVersion {
            version: "v3".into(),
            validators: etag_only
        }
    );
}

pub fn site_paragraphs_are_counted_over_earlier_pages(store: &mut dyn Store) {
    let template = [1u8; 32];
    let quote = [2u8; 32];
    let own = |n: u8| [100 + n; 32];
    let mut writer = store.begin("pages").unwrap();
    for n in 1..=5u8 {
        let page = format!("https://site.example/{n}");
        let mut keys = vec![template, own(n)];
        if n == 2 {
            keys.push(quote);
        }
        writer
            .count_site_page("site.example", &page, &keys)
            .unwrap();
    }
    // A page never counted sees every counted page of its site.
    let counts = writer
        .site_paragraph_counts(
            "site.example",
            "https://site.example/6",
            &[template, quote, own(6)],
        )
        .unwrap();
    assert_eq!(counts.get(&template), Some(&5));
    assert_eq!(counts.get(&quote), Some(&1));
    assert_eq!(counts.get(&own(6)), None);
    // A counted page sees only the pages counted before it, however often
    // it is read again, and counting it again changes nothing.
    let third = writer
        .site_paragraph_counts(
            "site.example",
            "https://site.example/3",
            &[template, own(4)],
        )
        .unwrap();
    assert_eq!(third.get(&template), Some(&2));
    assert_eq!(third.get(&own(4)), None);
    writer
        .count_site_page("site.example", "https://site.example/1", &[quote])
        .unwrap();
    let counts = writer
        .site_paragraph_counts("site.example", "https://site.example/6", &[quote])
        .unwrap();
    assert_eq!(counts.get(&quote), Some(&1));
    // Another site's pages are its own.
    let other = writer
        .site_paragraph_counts("other.example", "https://other.example/1", &[template])
        .unwrap();
    assert!(other.is_empty());
    // A discarded unit counts nothing.
    writer.begin_unit().unwrap();
    writer
        .count_site_page("other.example", "https://other.example/1", &[template])
        .unwrap();
    writer.end_unit(false).unwrap();
    writer.commit(&now).unwrap();
    let mut writer = store.begin("pages").unwrap();
    let other = writer
        .site_paragraph_counts("other.example", "https://other.example/2", &[template])
        .unwrap();
    assert!(other.is_empty());
    let kept = writer
        .site_paragraph_counts("site.example", "https://site.example/7", &[template])
        .unwrap();
    assert_eq!(kept.get(&template), Some(&5), "committed counts last");
}

pub fn only_a_sites_newest_pages_stay_counted(store: &mut dyn Store) {
    let early = [3u8; 32];
    let template = [4u8; 32];
    let mut writer = store.begin("pages").unwrap();
    writer
        .count_site_page("other.example", "https://other.example/1", &[early])
        .unwrap();
    // The first two pages print a paragraph the later ones do not.
    for n in 0..SITE_PAGES_KEPT + 2 {
        let keys = if n < 2 {
            vec![early, template]
        } else {
            vec![template]
        };
        writer
            .count_site_page("site.example", &format!("https://site.example/{n}"), &keys)
            .unwrap();
    }
    // What a page never counted sees of the site.
    let counts_for_a_new_page = |writer: &mut Box<dyn feedfold::store::SourceWriter + '_>| {
        writer
            .site_paragraph_counts(
                "site.example",
                "https://site.example/new",
                &[early, template],
            )
            .unwrap()
    };
    let counts = counts_for_a_new_page(&mut writer);
    assert_eq!(counts.get(&early), None, "the oldest pages are forgotten");
    assert_eq!(counts.get(&template), Some(&(SITE_PAGES_KEPT as u32)));
    // Forgotten, a page is counted afresh as the newest.
    writer
        .count_site_page("site.example", "https://site.example/0", &[early])
        .unwrap();
    let counts = counts_for_a_new_page(&mut writer);
    assert_eq!(counts.get(&early), Some(&1));
    assert_eq!(counts.get(&template), Some(&(SITE_PAGES_KEPT as u32 - 1)));
    // Other sites keep theirs.
    let other = writer
        .site_paragraph_counts("other.example", "https://other.example/2", &[early])
        .unwrap();
    assert_eq!(other.get(&early), Some(&1));
    writer.commit(&now).unwrap();
}

/// What a store says of the site pages `pages_and_site_paragraphs_are_copied_both_ways` counted.
fn site_answers(store: &mut dyn Store, keys: &[[u8; 32]]) -> Vec<Vec<Option<u32>>> {
    let mut writer = store.begin("pages").unwrap();
    let answers = (1..=4)
        .map(|n| {
            let counts = writer
                .site_paragraph_counts("site.example", &format!("https://site.example/{n}"), keys)
                .unwrap();
            keys.iter().map(|key| counts.get(key).copied()).collect()
        })
        .collect();
    drop(writer);
    answers
}

pub fn pages_and_site_paragraphs_are_copied_both_ways(store: &mut dyn Store) {
    use feedfold::store::copy::copy;
    let urls: Vec<String> = ["https://site.example/1", "https://site.example/2"]
        .map(String::from)
        .to_vec();
    let (template, quote, own) = ([1u8; 32], [2u8; 32], [3u8; 32]);
    let mut writer = store.begin("site").unwrap();
    writer.remember_page(&read_at(&urls[0], "")).unwrap();
    writer
        .remember_page(&read_with(&urls[1], "v2", page_validators("p2")))
        .unwrap();
    writer
        .count_site_page("site.example", &urls[0], &[template, quote])
        .unwrap();
    writer
        .count_site_page("site.example", &urls[1], &[template, own])
        .unwrap();
    writer
        .count_site_page("site.example", "https://site.example/3", &[])
        .unwrap();
    writer.commit(&now).unwrap();
    let keys = [template, quote, own];
    let answers = site_answers(store, &keys);
    assert_eq!(
        answers,
        vec![
            vec![None, None, None],
            vec![Some(1), Some(1), None],
            vec![Some(2), Some(1), Some(1)],
            vec![Some(2), Some(1), Some(1)],
        ]
    );

    let mut memory = SqliteStore::open_in_memory().unwrap();
    let copied = copy(store, &mut memory, &mut |_| {}).unwrap();
    assert_eq!(
        (
            copied.counts.seen_pages,
            copied.counts.site_pages,
            copied.counts.site_paragraphs
        ),
        (2, 3, 4)
    );
    let seen = memory.pages_seen("site", &urls).unwrap();
    assert_eq!(
        (
            seen[&urls[0]].version.as_str(),
            seen[&urls[1]].version.as_str()
        ),
        ("", "v2")
    );
    assert_eq!(
        (&seen[&urls[0]].validators, &seen[&urls[1]].validators),
        (&Validators::default(), &page_validators("p2")),
        "each page with the validators of its fetch"
    );
    assert!(memory.pages_seen("other", &urls).unwrap().is_empty());
    assert_eq!(
        site_answers(&mut memory, &keys),
        answers,
        "in the order counted"
    );

    // Copied back into the store, and out again: nothing changes.
    let back = copy(&mut memory, store, &mut |_| {}).unwrap();
    assert_eq!(back.counts, copied.counts);
    let again = copy(store, &mut memory, &mut |_| {}).unwrap();
    assert_eq!(again.counts, copied.counts);
    assert_eq!(site_answers(store, &keys), answers);
    assert_eq!(store.pages_seen("site", &urls).unwrap(), seen);
}

/// Two sources store the same story in the same second: the one that
/// stored it first is its first sighting, whatever the sources are
/// called, in `sightings`, in `folds` and in a copy of the store.
pub fn the_first_sighting_is_the_first_to_arrive_within_a_second(store: &mut dyn Store) {
    use feedfold::store::copy::copy;
    let story = article(
        "Harbour Opens",
        "The new harbour opened on Monday.",
        "z.txt",
    );
    let first = fold_all(store, "zulu", std::slice::from_ref(&story), now());
    let copy_of = |location: &str| Article {
        origin: Origin {
            location: location.into(),
            line: 9,
        },
        ..story.clone()
    };
    let later = fold_all(store, "alpha", &[copy_of("a.txt")], now());
    fold_all(store, "mike", &[copy_of("m.txt")], now());
    assert_eq!(later[0].id(), first[0].id());
    let order = |store: &mut dyn Store| -> Vec<String> {
        let sightings = store.sightings(first[0].id()).unwrap();
        sightings.into_iter().map(|s| s.source).collect()
    };
    assert_eq!(order(store), ["zulu", "alpha", "mike"]);
    let folds = store.folds(None).unwrap();
    assert_eq!(folds.len(), 2);
    for fold in &folds {
        let first_seen = fold.article_seen.as_ref().expect("a first sighting");
        assert_eq!(
            (first_seen.source.as_str(), first_seen.location.as_str()),
            ("zulu", "z.txt")
        );
    }
    assert_eq!(folds[0].seen.source, "alpha");

    let mut memory = SqliteStore::open_in_memory().unwrap();
    copy(store, &mut memory, &mut |_| {}).unwrap();
    assert_eq!(order(&mut memory), ["zulu", "alpha", "mike"]);
    copy(&mut memory, store, &mut |_| {}).unwrap();
    assert_eq!(
        order(store),
        ["zulu", "alpha", "mike"],
        "copying back changes nothing"
    );
}

/// `store copy` writes records in batches as an export hands them out: an
/// article that comes twice in a batch is stored once, the sightings of an
/// article keep their order (one that comes twice takes no number), a
/// second import changes nothing, and a batch that names an article the
/// store lacks, even in a record a later one replaces, is refused whole,
/// naming it.
pub fn an_imported_batch_is_written_whole_or_refused_naming_what_it_lacks(store: &mut dyn Store) {
    use feedfold::store::{Record, StoreError};
    let mut source = SqliteStore::open_in_memory().unwrap();
    let story = article(
        "Harbour Opens",
        "The new harbour opened on Monday.",
        "z.txt",
    );
    let first = fold_all(&mut source, "zulu", std::slice::from_ref(&story), now());
    for (name, location) in [("alpha", "a.txt"), ("mike", "m.txt")] {
        let mut seen_again = story.clone();
        seen_again.origin.location = location.into();
        fold_all(&mut source, name, &[seen_again], now());
    }
    let ferry = article(
        "Ferry Delayed",
        "The ferry left two hours late after a storm.",
        "f.txt",
    );
    let second = fold_all(&mut source, "zulu", &[ferry], now());
    let mut records = Vec::new();
    source
        .export(&mut |batch: Vec<Record>| -> Result<(), StoreError> {
            records.extend(batch);
            Ok(())
        })
        .unwrap();
    let sources_of = |store: &mut dyn Store, id: &str| -> Vec<String> {
        let sightings = store.sightings(id).unwrap();
        sightings.into_iter().map(|s| s.source).collect()
    };

    let lacking = [
        records
            .iter()
            .find(|r| matches!(r, Record::Article(_)))
            .unwrap()
            .clone(),
        Record::ContentKey {
            key: [9; 16],
            article: "no-such-article".into(),
        },
    ];
    let refused = store.import(&lacking).unwrap_err().to_string();
    assert!(refused.contains("no-such-article"), "{refused}");
    assert_eq!(store.article_count().unwrap(), 0, "refused whole");
    // An upstream key that a later record of the batch replaces is still
    // checked.
    let upstream = |article: &str| Record::UpstreamKey {
        source: "wire".into(),
        key: "entry-1".into(),
        article: article.into(),
        content_key: [7; 32],
        version: Some([8; 32]),
    };
    let replaced = [
        lacking[0].clone(),
        upstream("no-such-article"),
        upstream(first[0].id()),
    ];
    let refused = store.import(&replaced).unwrap_err().to_string();
    assert!(refused.contains("no-such-article"), "{refused}");
    assert_eq!(store.article_count().unwrap(), 0, "refused whole");

    let at = records
        .iter()
        .position(|r| matches!(r, Record::Article(_)))
        .unwrap();
    let mut doubled = records.clone();
    doubled.insert(at + 1, records[at].clone());
    // A sighting that comes twice takes no number of its own.
    let again = doubled
        .iter()
        .position(|r| matches!(r, Record::Sighting { sighting, .. } if sighting.source == "alpha"))
        .unwrap();
    doubled.insert(again + 1, doubled[again].clone());
    store.import(&doubled).unwrap();
    let counts = store.counts().unwrap();
    assert_eq!(counts, source.counts().unwrap());
    assert_eq!(counts.articles, 2);
    assert_eq!(sources_of(store, first[0].id()), ["zulu", "alpha", "mike"]);
    assert_eq!(sources_of(store, second[0].id()), ["zulu"]);
    assert_eq!(store.folds(None).unwrap(), source.folds(None).unwrap());

    store.import(&records).unwrap();
    assert_eq!(
        store.counts().unwrap(),
        counts,
        "a second import changes nothing"
    );
    assert_eq!(sources_of(store, first[0].id()), ["zulu", "alpha", "mike"]);

    // A sighting after the copy comes after those copied.
    let mut seen_later = story.clone();
    seen_later.origin.location = "o.txt".into();
    fold_all(store, "oscar", &[seen_later], now());
    assert_eq!(
        sources_of(store, first[0].id()),
        ["zulu", "alpha", "mike", "oscar"]
    );
}

pub fn each_feeds_latest_publication_is_kept(store: &mut dyn Store) {
    assert!(store.publications().unwrap().is_empty());
    let published = |feed: &str, minute: i64, failed: bool| FeedPublication {
        feed: feed.into(),
        at: now() + chrono::Duration::minutes(minute) + chrono::Duration::milliseconds(250),
        failed,
    };
    store
        .record_publications(&[published("news", 0, false), published("city", 1, true)])
        .unwrap();
    store
        .record_publications(&[published("news", 2, true)])
        .unwrap();
    assert_eq!(
        store.publications().unwrap(),
        [published("city", 1, true), published("news", 2, true)],
        "each feed's latest, by feed, to the millisecond"
    );
    // One kept at the same moment or before (another run's clock) is still
    // the latest kept, a millisecond after the one it replaces.
    store
        .record_publications(&[published("news", 2, false)])
        .unwrap();
    store
        .record_publications(&[published("city", 0, false)])
        .unwrap();
    let after = |p: FeedPublication| FeedPublication {
        at: p.at + chrono::Duration::milliseconds(1),
        failed: false,
        ..p
    };
    assert_eq!(
        store.publications().unwrap(),
        [
            after(published("city", 1, true)),
            after(published("news", 2, true))
        ]
    );
}

fn cycle(source: &str, minute: i64, new: u32, folded: u32, failed: bool) -> SourceCycle {
    SourceCycle {
        source: source.into(),
        at: now() + chrono::Duration::minutes(minute) + chrono::Duration::milliseconds(250),
        new,
        folded,
        failed,
    }
}

pub fn cycles_are_kept_per_source_bounded_and_copied(store: &mut dyn Store) {
    use feedfold::store::copy::copy;
    assert!(store.cycles().unwrap().is_empty());
    // Kept out of order, listed by source, oldest first.
    for minute in (0..CYCLES_KEPT as i64 + 5).rev() {
        let n = minute as u32;
        store
            .record_cycles(&[cycle("wire", minute, n, n * 2, minute == 7)])
            .unwrap();
    }
    store
        .record_cycles(&[cycle("desk", 3, 4, 1, false)])
        .unwrap();
    // Cycles that end at the same moment (two runs at once, or two in one
    // call) are all kept, each later one at the next free millisecond.
    store
        .record_cycles(&[cycle("desk", 3, 5, 2, true), cycle("desk", 3, 0, 0, false)])
        .unwrap();
    let cycles = store.cycles().unwrap();
    assert_eq!(cycles.len(), CYCLES_KEPT + 3);
    assert_eq!(cycles[0], cycle("desk", 3, 4, 1, false));
    let later = |ms| cycle("desk", 3, 0, 0, false).at + chrono::Duration::milliseconds(ms);
    assert_eq!(
        cycles[1],
        SourceCycle {
            at: later(1),
            ..cycle("desk", 3, 5, 2, true)
        }
    );
    assert_eq!(
        cycles[2],
        SourceCycle {
            at: later(2),
            ..cycle("desk", 3, 0, 0, false)
        }
    );
    assert_eq!(
        cycles[0].at.timestamp_subsec_millis(),
        250,
        "to the millisecond"
    );
    let wire: Vec<_> = cycles[3..].iter().map(|c| (c.new, c.folded)).collect();
    // Recorded newest first: the five oldest were each dropped as they came.
    let expected: Vec<_> = (5..CYCLES_KEPT as u32 + 5).map(|n| (n, n * 2)).collect();
    assert_eq!(wire, expected);
    assert!(cycles[5].failed && !cycles[6].failed, "minute 7 failed");
    // Newer cycles push the oldest out.
    store
        .record_cycles(&[cycle("wire", 100, 9, 9, false)])
        .unwrap();
    let wire: Vec<_> = store
        .cycles()
        .unwrap()
        .into_iter()
        .filter(|c| c.source == "wire")
        .collect();
    assert_eq!(wire.len(), CYCLES_KEPT);
    assert_eq!(wire[0].new, 6);
    assert_eq!(wire[CYCLES_KEPT - 1], cycle("wire", 100, 9, 9, false));

    let mut memory = SqliteStore::open_in_memory().unwrap();
    let copied = copy(store, &mut memory, &mut |_| {}).unwrap();
    assert_eq!(copied.counts.cycles, CYCLES_KEPT as u64 + 3);
    assert_eq!(memory.cycles().unwrap(), store.cycles().unwrap());
    let back = copy(&mut memory, store, &mut |_| {}).unwrap();
    assert_eq!(back.counts, copied.counts, "copying again changes nothing");
}

/// Cycles kept under a clock that ran a month ahead (as many as a store
/// keeps, and more) do not push out the cycles kept once the clock is
/// right again: those are the newest, kept before them; the ones ahead go
/// first as later cycles come, the oldest of them first.
pub fn cycles_kept_under_a_clock_ahead_do_not_crowd_out_later_ones(store: &mut dyn Store) {
    let month = 30 * 24 * 60;
    for minute in 0..CYCLES_KEPT as i64 + 2 {
        store
            .record_cycles(&[cycle("wire", month + minute, 0, 0, false)])
            .unwrap();
    }
    // The clock is right again: each later cycle is kept.
    for minute in 0..3 {
        store
            .record_cycles(&[cycle("wire", minute, 1, 0, false)])
            .unwrap();
        let kept = store.cycles().unwrap();
        assert_eq!(kept.len(), CYCLES_KEPT);
        let real: Vec<_> = kept.iter().filter(|c| c.new == 1).collect();
        assert_eq!(real.len() as i64, minute + 1, "{kept:?}");
        assert_eq!(*real[minute as usize], cycle("wire", minute, 1, 0, false));
        // The ones ahead that stay are the newest of them.
        let ahead = &kept[real.len()..];
        assert_eq!(
            ahead.last().unwrap().at,
            cycle("wire", month + CYCLES_KEPT as i64 + 1, 0, 0, false).at
        );
    }
    // Cycles kept out of order within a day stay in their order.
    store
        .record_cycles(&[cycle("desk", 60, 1, 0, false)])
        .unwrap();
    for minute in 0..CYCLES_KEPT as i64 {
        store
            .record_cycles(&[cycle("desk", minute, 2, 0, false)])
            .unwrap();
    }
    let desk: Vec<_> = store
        .cycles()
        .unwrap()
        .into_iter()
        .filter(|c| c.source == "desk")
        .collect();
    assert_eq!(desk.len(), CYCLES_KEPT);
    assert_eq!(desk[0], cycle("desk", 1, 2, 0, false));
    assert_eq!(desk[CYCLES_KEPT - 1], cycle("desk", 60, 1, 0, false));
}

/// A copy taken before more cycles ran is an earlier copy: copying again
/// forgets in it what the source forgot since (the oldest cycles and site
/// pages beyond what a store keeps), and a third copy changes nothing.
pub fn an_earlier_copy_is_brought_up_to_date_once_the_source_forgot_old_cycles_and_pages(
    store: &mut dyn Store,
) {
    use feedfold::store::copy::copy;
    let record = |store: &mut dyn Store, minutes: std::ops::Range<i64>| {
        for minute in minutes {
            store
                .record_cycles(&[cycle("wire", minute, 1, 0, false)])
                .unwrap();
            let mut writer = store.begin("site").unwrap();
            let page = format!("https://site.example/{minute}");
            writer
                .count_site_page("site.example", &page, &[[minute as u8; 32]])
                .unwrap();
            writer.commit(&now).unwrap();
        }
    };
    record(store, 0..CYCLES_KEPT as i64 + 1);
    let mut earlier = SqliteStore::open_in_memory().unwrap();
    copy(store, &mut earlier, &mut |_| {}).unwrap();
    record(store, CYCLES_KEPT as i64 + 1..CYCLES_KEPT as i64 + 4);
    // Past the pages a site keeps, in the source alone.
    let mut writer = store.begin("site").unwrap();
    for n in 0..SITE_PAGES_KEPT {
        let page = format!("https://site.example/late/{n}");
        writer
            .count_site_page("site.example", &page, &[[7u8; 32]])
            .unwrap();
    }
    writer.commit(&now).unwrap();

    let again = copy(store, &mut earlier, &mut |_| {}).unwrap();
    assert_eq!(again.counts.cycles, CYCLES_KEPT as u64);
    assert_eq!(again.counts.site_pages, SITE_PAGES_KEPT as u64);
    assert_eq!(earlier.cycles().unwrap(), store.cycles().unwrap());
    let keys = [[7u8; 32], [3u8; 32], [33u8; 32]];
    assert_eq!(
        site_answers(&mut earlier, &keys),
        site_answers(store, &keys)
    );
    let third = copy(store, &mut earlier, &mut |_| {}).unwrap();
    assert_eq!(third.counts, again.counts, "copying again changes nothing");
}

/// An earlier copy in `store` that then ran cycles of its own (a trial
/// `run`, a `serve` started on it) and counted a page of its own is
/// brought to keep what the source keeps by the next copy, and copying
/// again changes nothing.
pub fn an_earlier_copy_that_ran_cycles_of_its_own_keeps_the_sources(store: &mut dyn Store) {
    use feedfold::store::copy::copy;
    let count_page = |store: &mut dyn Store, page: &str, key: u8| {
        let mut writer = store.begin("site").unwrap();
        writer
            .count_site_page("site.example", page, &[[key; 32]])
            .unwrap();
        writer.commit(&now).unwrap();
    };
    let mut source = SqliteStore::open_in_memory().unwrap();
    source
        .record_cycles(&[cycle("wire", 0, 1, 0, false)])
        .unwrap();
    count_page(&mut source, "https://site.example/a", 1);
    copy(&mut source, store, &mut |_| {}).unwrap();

    store
        .record_cycles(&[cycle("wire", 5, 0, 0, false)])
        .unwrap();
    store
        .record_cycles(&[cycle("other", 5, 0, 0, true)])
        .unwrap();
    count_page(store, "https://site.example/trial", 2);
    let again = copy(&mut source, store, &mut |_| {}).unwrap();
    assert_eq!((again.counts.cycles, again.counts.site_pages), (1, 1));
    assert_eq!(store.cycles().unwrap(), source.cycles().unwrap());
    let keys = [[1u8; 32], [2u8; 32]];
    assert_eq!(site_answers(store, &keys), site_answers(&mut source, &keys));
    let third = copy(&mut source, store, &mut |_| {}).unwrap();
    assert_eq!(third.counts, again.counts, "copying again changes nothing");
}

/// A store filled on its own with the same story (a trial worker that read
/// the same dumps) is no earlier copy when it saw the story first at
/// another place: the copy is refused before anything is written, whether
/// it saw the story at fewer places or at the same ones in another order.
/// Filled from the same places in the same order, it is taken.
pub fn a_store_that_saw_the_same_story_first_elsewhere_is_refused_before_writing(
    store: &mut dyn Store,
) {
    use feedfold::store::copy::copy;
    let story = article(
        "Harbour Council Approves New Ferry Terminal",
        "The Westport harbour council voted on Tuesday to approve a new ferry terminal on the northern quay.",
        "x.txt",
    );
    let seen_at = |location: &str| Article {
        origin: Origin {
            location: location.into(),
            line: 3,
        },
        ..story.clone()
    };
    let fill = |store: &mut dyn Store, sources: &[&str]| {
        for source in sources {
            fold_all(store, source, &[seen_at(&format!("{source}.txt"))], now());
        }
    };
    let mut source = SqliteStore::open_in_memory().unwrap();
    fill(&mut source, &["x", "y"]);
    let state = |store: &mut dyn Store| (store.counts().unwrap(), store.folds(None).unwrap());
    for sources in [&["y"][..], &["x"]] {
        fill(store, sources);
        let before = state(store);
        let refused = copy(&mut source, store, &mut |_| {})
            .unwrap_err()
            .to_string();
        assert!(
            refused.contains("it is not an earlier copy of")
                && refused.contains("nothing was written"),
            "{refused}"
        );
        assert_eq!(state(store), before, "nothing was written");
    }
    let id = source.feed_entries(None, None, 1).unwrap()[0].id.clone();
    let places = |store: &mut dyn Store| -> Vec<String> {
        let sightings = store.sightings(&id).unwrap();
        sightings.into_iter().map(|s| s.source).collect()
    };
    assert_eq!(places(store), ["y", "x"]);

    let mut same_order = SqliteStore::open_in_memory().unwrap();
    fill(&mut same_order, &["x"]);
    let copied = copy(&mut source, &mut same_order, &mut |_| {}).unwrap();
    assert_eq!(copied.counts, source.counts().unwrap());
    assert_eq!(places(&mut same_order), ["x", "y"]);
    assert_eq!(same_order.folds(None).unwrap(), source.folds(None).unwrap());
}

/// A store holding an article the source lacks is refused before anything
/// is written however old that article is: not only among its newest.
pub fn a_store_with_an_old_article_of_its_own_is_refused_before_writing(store: &mut dyn Store) {
    use feedfold::store::copy::copy;
    let dated = |n: usize, year: i32| Article {
        published: Some(
            DateTime::parse_from_rfc3339(&format!("{year}-03-{:02}T08:00:00Z", 1 + n % 28))
                .unwrap()
                .to_utc(),
        ),
        ..article(
            &format!("Council report number {n}"),
            &format!("Report {n}: the council published its quarterly figures on roads and parks."),
            &format!("r{n}.txt"),
        )
    };
    let stories: Vec<Article> = (0..70).map(|n| dated(n, 2026)).collect();
    let mut source = SqliteStore::open_in_memory().unwrap();
    fold_all(&mut source, "desk", &stories, now());
    copy(&mut source, store, &mut |_| {}).unwrap();
    let own = Article {
        body: vec![Block::paragraph(
            "An archive story only this store ever held, about the old tram depot.",
        )],
        ..dated(99, 2020)
    };
    fold_all(store, "archive", &[own], now());
    fold_all(&mut source, "desk", &[dated(70, 2026)], now());
    let before = (store.counts().unwrap(), store.article_count().unwrap());
    let refused = copy(&mut source, store, &mut |_| {})
        .unwrap_err()
        .to_string();
    assert!(
        refused.contains("which")
            && refused.contains("does not")
            && refused.contains("nothing was written"),
        "{refused}"
    );
    assert_eq!(
        (store.counts().unwrap(), store.article_count().unwrap()),
        before,
        "nothing was written"
    );
}

/// A source reset (its fetch state and pages fetched forgotten) between
/// two copies into `store` is reset in `store` too, by the second copy.
pub fn an_earlier_copy_forgets_the_fetch_state_of_a_source_reset_since(store: &mut dyn Store) {
    use feedfold::store::copy::copy;
    let urls: Vec<String> = ["https://site.example/a", "https://site.example/b"]
        .map(String::from)
        .to_vec();
    let mut source = SqliteStore::open_in_memory().unwrap();
    let fetched =
        FetchState::succeeded("https://up.example/news.rss", Validators::default(), now());
    source.put_fetch_state("wire", &fetched).unwrap();
    source.put_fetch_state("other", &fetched).unwrap();
    let mut writer = source.begin("site").unwrap();
    for url in &urls {
        writer.remember_page(&read_at(url, "v1")).unwrap();
    }
    writer.commit(&now).unwrap();
    copy(&mut source, store, &mut |_| {}).unwrap();
    assert_eq!(store.fetched_sources().unwrap(), ["other", "site", "wire"]);

    assert!(source.clear_fetch_state("wire").unwrap());
    assert!(source.clear_fetch_state("site").unwrap());
    let mut writer = source.begin("site").unwrap();
    writer.remember_page(&read_at(&urls[1], "v2")).unwrap();
    writer.commit(&now).unwrap();
    let again = copy(&mut source, store, &mut |_| {}).unwrap();
    assert_eq!((again.counts.fetch_states, again.counts.seen_pages), (1, 1));
    assert_eq!(store.fetch_state("wire").unwrap(), FetchState::default());
    assert_eq!(store.fetch_state("other").unwrap(), fetched);
    assert_eq!(
        store.pages_seen("site", &urls).unwrap(),
        source.pages_seen("site", &urls).unwrap()
    );
    assert_eq!(store.fetched_sources().unwrap(), ["other", "site"]);
    let third = copy(&mut source, store, &mut |_| {}).unwrap();
    assert_eq!(third.counts, again.counts, "copying again changes nothing");
}

pub fn article_pages_walk_newest_first_with_sightings_and_folds(store: &mut dyn Store) {
    assert_eq!(
        store.article_page(PageStart::Newest, 3).unwrap(),
        Some(ArticlePage {
            articles: Vec::new(),
            newer: false,
            older: None
        })
    );
    // Seven stories: five dated an hour apart, two sharing the newest date.
    let mut stories = Vec::new();
    for i in 0..7i64 {
        let mut story = article(&format!("Story {i}"), &format!("Body number {i}."), "a.txt");
        story.origin.line = i as usize + 1;
        story.published = Some(now() + chrono::Duration::hours(i.min(5)));
        stories.push(story);
    }
    let ids: Vec<String> = fold_all(store, "desk", &stories, now())
        .iter()
        .map(|d| d.id().to_string())
        .collect();
    // Story 2 is seen again elsewhere: a sighting and an exact fold.
    let mut again = stories[2].clone();
    again.origin.location = "b.txt".into();
    let later = now() + chrono::Duration::days(1);
    fold_all(store, "wire", &[again], later);

    let titles = |page: &ArticlePage| -> Vec<String> {
        page.articles
            .iter()
            .map(|a| a.article.title.clone())
            .collect()
    };
    // Of equal dates first seen in one second, as the feeds list them: in
    // the order stored.
    let first = store.article_page(PageStart::Newest, 3).unwrap().unwrap();
    assert_eq!(titles(&first), ["Story 5", "Story 6", "Story 4"]);
    assert!(!first.newer);
    assert_eq!(first.older.as_deref(), Some(ids[3].as_str()));
    let second = store
        .article_page(PageStart::From(&ids[3]), 3)
        .unwrap()
        .unwrap();
    assert_eq!(titles(&second), ["Story 3", "Story 2", "Story 1"]);
    assert!(second.newer);
    assert_eq!(second.older.as_deref(), Some(ids[0].as_str()));
    let last = store
        .article_page(PageStart::From(&ids[0]), 3)
        .unwrap()
        .unwrap();
    assert_eq!(titles(&last), ["Story 0"]);
    assert!(last.newer && last.older.is_none());
    // Back from the last page: the page before it, whole.
    let back = store
        .article_page(PageStart::NewerThan(&ids[0]), 3)
        .unwrap()
        .unwrap();
    assert_eq!(back, second);
    let top = store
        .article_page(PageStart::NewerThan(&ids[3]), 3)
        .unwrap()
        .unwrap();
    assert_eq!(top, first);
    // A page may start anywhere: at the newest article, there is no newer.
    let newest = store
        .article_page(PageStart::From(&ids[5]), 2)
        .unwrap()
        .unwrap();
    assert_eq!(titles(&newest), ["Story 5", "Story 6"]);
    assert!(!newest.newer);
    // Between two articles of the same date, both ways.
    let tied = store
        .article_page(PageStart::From(&ids[6]), 1)
        .unwrap()
        .unwrap();
    assert_eq!(titles(&tied), ["Story 6"]);
    assert!(tied.newer);
    assert_eq!(tied.older.as_deref(), Some(ids[4].as_str()));
    let above = store
        .article_page(PageStart::NewerThan(&ids[6]), 5)
        .unwrap()
        .unwrap();
    assert_eq!(titles(&above), ["Story 5"]);
    assert!(!above.newer);

    let folded = &second.articles[1];
    let places: Vec<_> = folded
        .sightings
        .iter()
        .map(|s| (s.source.as_str(), s.location.as_str(), s.line))
        .collect();
    assert_eq!(places, [("desk", "a.txt", 3), ("wire", "b.txt", 3)]);
    assert_eq!(folded.sightings[1].first_seen, later);
    assert_eq!(folded.folds.len(), 1);
    let fold = &folded.folds[0];
    assert_eq!(
        (fold.rule.as_str(), fold.distance, fold.copy_id.as_str()),
        ("exact", Some(0), ids[2].as_str())
    );
    assert_eq!(fold.article_seen.as_ref(), folded.sightings.first());
    assert_eq!(
        store.folds(None).unwrap(),
        folded.folds,
        "the same fold `dups` lists"
    );
    assert!(second.articles[0].folds.is_empty());
    assert_eq!(second.articles[0].sightings.len(), 1);

    assert_eq!(
        store
            .article_page(PageStart::From("tag:feedfold.invalid,2026:article:0"), 3)
            .unwrap(),
        None
    );
}

/// Articles of one date come on the articles page as the feeds list them:
/// the one first seen last first (to the second), those first seen in the
/// same second in the order stored. Paging either way across such a tie
/// shows each once, in that order.
pub fn article_pages_list_ties_as_the_feeds_do_both_ways(store: &mut dyn Store) {
    let hour = chrono::Duration::hours(1);
    let story = |name: &str, published: Option<DateTime<Utc>>| {
        let mut story = article(name, &format!("The whole text of {name}."), "a.txt");
        story.published = published;
        story
    };
    let dated = |names: &[&str], published| -> Vec<Article> {
        names.iter().map(|n| story(n, Some(published))).collect()
    };
    let undated =
        |names: &[&str]| -> Vec<Article> { names.iter().map(|n| story(n, None)).collect() };
    // One date, first seen at three moments; an older and a newer date;
    // and stories dated when first seen, in one second by two sources.
    let date = now() - hour * 5;
    fold_all(store, "a", &dated(&["A0", "A1", "A2", "A3"], date), now());
    fold_all(store, "a", &dated(&["Older"], date - hour), now());
    fold_all(store, "b", &dated(&["B0", "B1", "B2"], date), now() + hour);
    fold_all(store, "c", &dated(&["C0", "C1"], date), now() - hour);
    fold_all(store, "c", &dated(&["Newer"], date + hour), now() - hour);
    let later = now() + hour * 2;
    fold_all(store, "a", &undated(&["U0", "U1", "U2"]), later);
    fold_all(store, "b", &undated(&["V0", "V1"]), later);

    let feed: Vec<StoredArticle> = store.feed_entries(None, None, 100).unwrap();
    let feed_titles: Vec<&str> = feed.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(
        feed_titles,
        [
            "U0", "U1", "U2", "V0", "V1", "Newer", "B0", "B1", "B2", "A0", "A1", "A2", "A3", "C0",
            "C1", "Older"
        ]
    );
    let ids: Vec<String> = feed.iter().map(|a| a.id.clone()).collect();
    let page_ids = |page: &ArticlePage| -> Vec<String> {
        page.articles.iter().map(|a| a.article.id.clone()).collect()
    };
    let whole = store.article_page(PageStart::Newest, 100).unwrap().unwrap();
    assert_eq!(page_ids(&whole), ids, "one page, as the feeds list them");

    for size in 1..=5 {
        // Older, page after page, from the newest.
        let mut pages = vec![
            store
                .article_page(PageStart::Newest, size)
                .unwrap()
                .unwrap(),
        ];
        while let Some(older) = pages.last().unwrap().older.clone() {
            let page = store
                .article_page(PageStart::From(&older), size)
                .unwrap()
                .unwrap();
            assert!(page.newer, "pages of {size}: newer ones before {older}");
            pages.push(page);
        }
        let walked: Vec<String> = pages.iter().flat_map(page_ids).collect();
        assert_eq!(walked, ids, "older, pages of {size}");
        assert!(!pages[0].newer);
        // Newer, page after page, from the last one back to the newest.
        let mut back = vec![pages.pop().unwrap()];
        loop {
            let first = back.last().unwrap().articles[0].article.id.clone();
            let page = store
                .article_page(PageStart::NewerThan(&first), size)
                .unwrap()
                .unwrap();
            assert_eq!(page.older.as_deref(), Some(first.as_str()));
            let more = page.newer;
            if !page.articles.is_empty() {
                back.push(page);
            }
            if !more {
                break;
            }
        }
        let walked: Vec<String> = back.iter().rev().flat_map(page_ids).collect();
        assert_eq!(walked, ids, "newer, pages of {size}");
    }
    // A page may start at any article, and has the ones before it above.
    for (i, id) in ids.iter().enumerate() {
        let from = store.article_page(PageStart::From(id), 2).unwrap().unwrap();
        assert_eq!(page_ids(&from), ids[i..(i + 2).min(ids.len())], "from {i}");
        assert_eq!(from.newer, i > 0, "from {i}");
        assert_eq!(from.older.as_ref(), ids.get(i + 2), "from {i}");
        let above = store
            .article_page(PageStart::NewerThan(id), 3)
            .unwrap()
            .unwrap();
        assert_eq!(
            page_ids(&above),
            ids[i.saturating_sub(3)..i],
            "newer than {i}"
        );
        assert_eq!(above.newer, i > 3, "newer than {i}");
    }
}

const INTRO: &str = "Crews who land their catch at the Calder quay, where the waiting list \
    for a mooring runs to eleven boats, will be the first to feel the change.";
const LOCAL_HEADLINE: &str = "Harbour Expansion: What It Means for Calder Fishing Crews";

/// A site's copy of the story under its own headline, an intro of its own
/// over the whole story; another's, its last paragraph cut, under the
/// story's headline, as an upstream entry with a link of its own: kept
/// apart when compared alone. The whole story extends the cut copy, which
/// is then another copy of the first: weighed again in the same
/// transaction (`pipeline::refold`), the two merge into the first seen,
/// which keeps its id, date and text and takes the other's sightings,
/// exact keys and folds; the other leaves the index, every feed and the
/// store. A transaction dropped before its commit merges nothing.
pub fn a_text_that_makes_two_stored_articles_one_story_merges_them_into_the_first_seen(
    store: &mut dyn Store,
) {
    use feedfold::pipeline::refold::refold_article;
    let config = NearConfig::default();
    let mut local = vec![INTRO];
    local.extend(STORY);
    let mut herald = story(LOCAL_HEADLINE, &local, "herald.txt");
    herald.published = Some(now() - chrono::Duration::hours(2));
    let herald_id = fold_all(store, "herald", &[herald], now())[0]
        .id()
        .to_string();
    let cut = Article {
        upstream_id: Some("g1".into()),
        upstream_key: Some("g1".into()),
        link: Some("https://gazette.example/g1".into()),
        ..story(HEADLINE, &STORY[..3], "https://gazette.example/feed.xml")
    };
    let later = now() + chrono::Duration::minutes(1);
    let gazette = fold_all(store, "gazette", std::slice::from_ref(&cut), later);
    assert!(matches!(gazette[0], Decision::New { .. }), "{gazette:?}");
    let gazette_id = gazette[0].id().to_string();

    let wire_at = now() + chrono::Duration::hours(1);
    let whole = story(HEADLINE, &STORY, "wire.txt");
    let fold_whole = |store: &mut dyn Store, commit: bool| {
        let mut writer = store.begin("wire").unwrap();
        let folded = fold_article(&mut *writer, "wire", &whole, Some(&config), wire_at).unwrap();
        assert_eq!(folded.decision.id(), gazette_id, "{:?}", folded.decision);
        assert!(folded.decision.updates(), "{:?}", folded.decision);
        let merge = refold_article(&mut *writer, "wire", &gazette_id, &config, wire_at, None)
            .unwrap()
            .expect("one story now");
        if commit {
            writer.commit(&|| wire_at).unwrap();
        }
        merge
    };
    fold_whole(store, false);
    assert_eq!(store.article_count().unwrap(), 2, "rolled back whole");
    assert!(store.article(&gazette_id).unwrap().is_some());

    let merge = fold_whole(store, true);
    assert_eq!(merge.survivor, herald_id);
    assert_eq!(merge.absorbed, gazette_id);
    assert!(!merge.takes_text());
    assert_eq!(store.article_count().unwrap(), 1);
    assert_eq!(store.article(&gazette_id).unwrap(), None);
    let merged = store.article(&herald_id).unwrap().unwrap();
    assert_eq!(merged.title, LOCAL_HEADLINE);
    assert_eq!(merged.body.len(), 5);
    assert_eq!(merged.published, now() - chrono::Duration::hours(2));
    assert_eq!(
        merged.link, cut.link,
        "the herald's dump gave no link: the gazette entry's fills it in, as a fold would"
    );
    let seen: Vec<(String, String)> = store
        .sightings(&herald_id)
        .unwrap()
        .into_iter()
        .map(|s| (s.source, s.location))
        .collect();
    assert_eq!(
        seen,
        [
            ("herald".into(), "herald.txt".into()),
            ("gazette".into(), "https://gazette.example/feed.xml".into()),
            ("wire".into(), "wire.txt".into()),
        ],
        "first seen first"
    );
    assert!(store.sightings(&gazette_id).unwrap().is_empty());
    let folds = store.folds(None).unwrap();
    assert_eq!(folds.len(), 2, "{folds:#?}");
    assert!(
        folds.iter().all(|f| f.article_id == herald_id),
        "{folds:#?}"
    );
    assert_eq!(
        (folds[0].seen.source.as_str(), folds[0].replaced.as_deref()),
        ("wire", None),
        "the whole story's fold into the gazette's article moved with it, and \
         the survivor kept its own text: the whole story replaced none of it"
    );
    let recorded = &folds[1];
    assert_eq!(recorded.copy_id, gazette_id);
    assert_eq!(recorded.copy_title, HEADLINE);
    assert_eq!(recorded.rule, merge.reason.rule);
    assert_eq!(recorded.distance, merge.reason.distance);
    assert_eq!(recorded.replaced, None);
    assert_eq!(recorded.seen.source, "gazette");
    assert_eq!(recorded.seen.first_seen, wire_at);
    assert!(recorded.merged, "told from a copy folded as it came");
    assert!(!folds[0].merged, "the wire's copy was folded as it came");
    // The survivor joined the gazette's feed in this commit.
    let gazette_feed = store
        .feed_entries(Some(&["gazette".to_string()]), Some(wire_at), 10)
        .unwrap();
    assert_eq!(gazette_feed.len(), 1);
    assert_eq!(gazette_feed[0].id, herald_id);

    // The absorbed article's exact keys lead to the survivor, and its
    // prints are out of the index.
    let again = fold_all(store, "gazette", std::slice::from_ref(&cut), wire_at);
    assert_eq!(again[0].id(), herald_id, "{again:?}");
    let repeat = Article {
        upstream_id: None,
        upstream_key: None,
        origin: Origin {
            location: "mirror.txt".into(),
            line: 1,
        },
        ..cut.clone()
    };
    let by_link = fold_all(store, "mirror", &[repeat], wire_at);
    assert_eq!(by_link[0].id(), herald_id, "{by_link:?}");
    let mut writer = store.begin("lookup").unwrap();
    let found = writer
        .near_candidates(&NearPrints::of(&cut), CANDIDATES_PER_KEY)
        .unwrap();
    assert!(found.iter().all(|c| c.id == herald_id), "{found:?}");
    drop(writer);
    assert_eq!(store.article_count().unwrap(), 1);
    let merged = |store: &mut dyn Store| -> Vec<bool> {
        store
            .folds(None)
            .unwrap()
            .iter()
            .map(|f| f.merged)
            .collect()
    };
    assert_eq!(
        merged(store),
        [false, true, false],
        "the mirror's copy came"
    );
    let mut copy = copied(store);
    assert_eq!(copy.article_count().unwrap(), 1);
    assert_eq!(
        merged(&mut copy),
        merged(store),
        "a copy tells the merge too"
    );
}

/// Two entries of one feed; for one fetch the second shows the first's
/// text (its own id and link): weighed again (`pipeline::refold`), it is
/// merged into the first, the store keeping the text it had before that
/// fetch replaced it (`SourceWriter::merged_away`). When the entry gives
/// that story again, the merge is undone as it is folded: the article is
/// back under its id with its own text, date and first sighting, filed
/// under its index keys, found by its entry and its content; the first
/// keeps its own, and no fold records the merge any more. A transaction
/// dropped before its commit restores nothing.
pub fn a_merge_is_undone_when_the_absorbed_entry_gives_its_own_story_again(store: &mut dyn Store) {
    use feedfold::pipeline::refold::refold_article;
    let config = NearConfig::default();
    let feed = "https://gazette.example/feed.xml";
    let entry = |key: &str, slug: &str, (title, paragraphs): (&str, &[&str]), hour: i64| Article {
        upstream_id: Some(key.into()),
        upstream_key: Some(key.into()),
        link: Some(format!("https://gazette.example/{slug}")),
        published: Some(now() - chrono::Duration::hours(hour)),
        ..story(title, paragraphs, feed)
    };
    let harbour = (HEADLINE, &STORY[..]);
    let pier = ("Pier Repairs Begin", &[LATER][..]);
    let first = entry("g-101", "harbour", harbour, 3);
    let second = entry("g-102", "pier", pier, 2);
    let stored = fold_all(store, "gazette", &[first.clone(), second.clone()], now());
    let (first_id, second_id) = (stored[0].id().to_string(), stored[1].id().to_string());
    let own = store.article(&second_id).unwrap().unwrap();

    let glitch_at = now() + chrono::Duration::hours(1);
    let glitch = entry("g-102", "pier", harbour, 2);
    let mut writer = store.begin("gazette").unwrap();
    for article in [&first, &glitch] {
        fold_article(&mut *writer, "gazette", article, Some(&config), glitch_at).unwrap();
    }
    let merge = refold_article(
        &mut *writer,
        "gazette",
        &second_id,
        &config,
        glitch_at,
        None,
    )
    .unwrap()
    .expect("one story now");
    assert_eq!(
        (merge.survivor.as_str(), merge.absorbed.as_str()),
        (first_id.as_str(), second_id.as_str())
    );
    let kept = writer
        .merged_away(&second_id)
        .unwrap()
        .expect("its own text kept");
    assert_eq!(
        kept.content_key,
        NearPrints::of(&second).content_key,
        "from before the fetch"
    );
    assert_eq!(writer.merged_away(&first_id).unwrap(), None);
    writer.commit(&|| glitch_at).unwrap();
    assert_eq!(store.article_count().unwrap(), 1);

    let fixed_at = now() + chrono::Duration::hours(2);
    let fold_fixed = |store: &mut dyn Store, commit: bool| {
        let mut writer = store.begin("gazette").unwrap();
        let folded: Vec<_> = [&first, &second]
            .into_iter()
            .map(|article| {
                fold_article(&mut *writer, "gazette", article, Some(&config), fixed_at).unwrap()
            })
            .collect();
        if commit {
            writer.commit(&|| fixed_at).unwrap();
        }
        folded
    };
    fold_fixed(store, false);
    assert_eq!(store.article_count().unwrap(), 1, "rolled back whole");
    let folded = fold_fixed(store, true);
    assert!(!folded[0].restored, "{folded:?}");
    assert_eq!(folded[0].decision.id(), first_id);
    assert!(folded[1].restored, "{folded:?}");
    assert_eq!(
        folded[1].decision,
        Decision::Repeat {
            id: second_id.clone(),
            by: Exact::EditedEntry
        },
        "its entry, changed since last seen, is known in it again, its text the one restored"
    );
    assert_eq!(store.article_count().unwrap(), 2);
    let restored = store.article(&second_id).unwrap().unwrap();
    assert_eq!(
        (
            &restored.title,
            &restored.body,
            restored.published,
            &restored.link
        ),
        (&own.title, &own.body, own.published, &own.link)
    );
    let survivor = store.article(&first_id).unwrap().unwrap();
    assert_eq!(survivor.title, HEADLINE);
    assert!(
        store.folds(None).unwrap().is_empty(),
        "the merge's fold is gone"
    );
    let since = store.feed_entries(None, Some(fixed_at), 10).unwrap();
    assert_eq!(
        since.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(),
        [second_id.as_str()],
        "stored again at the commit"
    );
    let mut writer = store.begin("lookup").unwrap();
    assert_eq!(writer.merged_away(&second_id).unwrap(), None, "undone");
    let found = writer
        .near_candidates(&NearPrints::of(&second), CANDIDATES_PER_KEY)
        .unwrap();
    assert!(found.iter().any(|c| c.id == second_id), "{found:?}");
    drop(writer);
    // Known by its content from elsewhere too, and its entry unchanged.
    let mirror = Article {
        upstream_id: None,
        upstream_key: None,
        link: None,
        ..story(pier.0, pier.1, "mirror.txt")
    };
    assert_eq!(
        fold_all(store, "mirror", &[mirror], fixed_at)[0].id(),
        second_id
    );
    let again = fold_all(store, "gazette", &[first, second], fixed_at);
    assert_eq!(
        again.iter().map(Decision::id).collect::<Vec<_>>(),
        [first_id.as_str(), second_id.as_str()]
    );
}

/// The text a merge kept aside goes with the store when copied, into any
/// backend and out of it again: a SQLite store whose feed's second entry
/// showed the first's text for one fetch (merged into the first), copied
/// into `store`, and `store` copied into another SQLite store, count the
/// kept text and undo the merge as the store they copy would, once the
/// entry gives its own story again. A second copy changes nothing.
pub fn a_merges_kept_text_is_copied_so_the_copy_undoes_the_merge(store: &mut dyn Store) {
    use feedfold::pipeline::refold::refold_article;
    use feedfold::store::copy::copy;
    let config = NearConfig::default();
    let feed = "https://gazette.example/feed.xml";
    let entry = |key: &str, slug: &str, (title, paragraphs): (&str, &[&str]), hour: i64| Article {
        upstream_id: Some(key.into()),
        upstream_key: Some(key.into()),
        link: Some(format!("https://gazette.example/{slug}")),
        published: Some(now() - chrono::Duration::hours(hour)),
        ..story(title, paragraphs, feed)
    };
    let harbour = (HEADLINE, &STORY[..]);
    let pier = ("Pier Repairs Begin", &[LATER][..]);
    let (first, second) = (
        entry("g-101", "harbour", harbour, 3),
        entry("g-102", "pier", pier, 2),
    );
    let mut origin = SqliteStore::open_in_memory().unwrap();
    let stored = fold_all(
        &mut origin,
        "gazette",
        &[first.clone(), second.clone()],
        now(),
    );
    let second_id = stored[1].id().to_string();
    let own = origin.article(&second_id).unwrap().unwrap();
    let glitch_at = now() + chrono::Duration::hours(1);
    let glitch = entry("g-102", "pier", harbour, 2);
    let mut writer = origin.begin("gazette").unwrap();
    for article in [&first, &glitch] {
        fold_article(&mut *writer, "gazette", article, Some(&config), glitch_at).unwrap();
    }
    refold_article(
        &mut *writer,
        "gazette",
        &second_id,
        &config,
        glitch_at,
        None,
    )
    .unwrap()
    .expect("one story now");
    writer.commit(&|| glitch_at).unwrap();
    let kept = |store: &mut dyn Store| {
        let mut writer = store.begin("lookup").unwrap();
        writer.merged_away(&second_id).unwrap()
    };
    let kept_in_origin = kept(&mut origin).expect("its own text kept");

    let into_store = copy(&mut origin, store, &mut |_| {}).unwrap();
    assert_eq!(
        into_store.counts.merged_articles, 1,
        "{:?}",
        into_store.counts
    );
    assert_eq!(store.counts().unwrap(), origin.counts().unwrap());
    assert_eq!(kept(store), Some(kept_in_origin.clone()));
    let again = copy(&mut origin, store, &mut |_| {}).unwrap();
    assert_eq!(
        again.counts, into_store.counts,
        "a second copy changes nothing"
    );
    assert_eq!(kept(store), Some(kept_in_origin.clone()));
    let mut back = SqliteStore::open_in_memory().unwrap();
    let out_of_store = copy(store, &mut back, &mut |_| {}).unwrap();
    assert_eq!(out_of_store.counts, into_store.counts);
    assert_eq!(kept(&mut back), Some(kept_in_origin));

    let fixed_at = now() + chrono::Duration::hours(2);
    for copied in [store, &mut back as &mut dyn Store] {
        assert_eq!(copied.article_count().unwrap(), 1);
        let mut writer = copied.begin("gazette").unwrap();
        let folded: Vec<_> = [&first, &second]
            .into_iter()
            .map(|article| {
                fold_article(&mut *writer, "gazette", article, Some(&config), fixed_at).unwrap()
            })
            .collect();
        writer.commit(&|| fixed_at).unwrap();
        assert!(folded[1].restored, "{folded:?}");
        assert_eq!(copied.article_count().unwrap(), 2);
        let restored = copied.article(&second_id).unwrap().unwrap();
        assert_eq!(
            (&restored.title, &restored.body, restored.published),
            (&own.title, &own.body, own.published)
        );
        assert_eq!(copied.counts().unwrap().merged_articles, 0, "undone");
    }
}

/// A merge whose survivor takes the absorbed article's text: its content
/// and prints (filed under their keys) are the absorbed text's, its id
/// and `published` stay, `updated` moves to the absorbed article's update
/// date a source gave, its link and authors stay where the absorbed text
/// gives none, and the fold recorded says it replaced the text, as does the
/// fold that gave the absorbed article that text, which moved with it.
pub fn a_survivor_takes_the_absorbed_text_when_the_merge_says_so(store: &mut dyn Store) {
    use feedfold::dedup::FoldReason;
    use feedfold::dedup::refold::Merge;
    let first = Article {
        link: Some("https://desk.example/pier".into()),
        authors: vec!["Desk".into()],
        ..story("Pier Repairs Begin", &[LATER], "a.txt")
    };
    let first_id = fold_all(store, "desk", std::slice::from_ref(&first), now())[0]
        .id()
        .to_string();
    let mut cut = story(HEADLINE, &STORY[..3], "b.txt");
    cut.published = Some(now() - chrono::Duration::hours(1));
    let second_id = fold_all(store, "wire", &[cut], now())[0].id().to_string();
    let mut second = story(HEADLINE, &STORY, "c.txt");
    let edited = now() + chrono::Duration::hours(5);
    second.published = Some(now() - chrono::Duration::hours(1));
    second.updated = Some(edited);
    let extended = fold_all(store, "wire", std::slice::from_ref(&second), now());
    assert_eq!(extended[0].id(), second_id, "{extended:?}");
    assert!(extended[0].updates(), "{extended:?}");
    let at = now() + chrono::Duration::hours(6);
    let mut writer = store.begin("wire").unwrap();
    let settled = writer.settled(&first_id).unwrap().expect("stored");
    assert_eq!(settled.first_seen, now());
    let other = writer.settled(&second_id).unwrap().expect("stored");
    assert!(settled.stored_order < other.stored_order, "stored first");
    assert_eq!(
        other.prints.paragraph_texts.len(),
        STORY.len(),
        "made whole to be weighed as a copy"
    );
    assert_eq!(writer.settled("tag:nothing").unwrap(), None);
    writer
        .merge(
            &Merge {
                survivor: first_id.clone(),
                absorbed: second_id.clone(),
                reason: FoldReason {
                    rule: "shared-paragraphs",
                    distance: Some(9),
                    update: Some(Update::Longer),
                    evidence: None,
                },
                shows_local_intro: false,
            },
            at,
        )
        .unwrap();
    writer.commit(&|| at).unwrap();
    let merged = store.article(&first_id).unwrap().unwrap();
    assert_eq!(merged.title, HEADLINE);
    assert_eq!(merged.body.len(), STORY.len());
    assert_eq!(
        merged.published,
        now() - chrono::Duration::hours(1),
        "undated, the survivor takes the date of the absorbed article"
    );
    assert_eq!(merged.updated, edited);
    assert_eq!((merged.link, merged.authors), (first.link, first.authors));
    assert_eq!(store.article(&second_id).unwrap(), None);
    let folds = store.folds(None).unwrap();
    assert_eq!(folds.len(), 2);
    assert!(folds.iter().all(|f| f.article_id == first_id), "{folds:#?}");
    assert_eq!(
        (
            folds[0].seen.location.as_str(),
            folds[0].replaced.as_deref()
        ),
        ("c.txt", Some("longer")),
        "the survivor's text is the one this copy gave the absorbed article"
    );
    assert_eq!(
        (folds[1].copy_id.as_str(), folds[1].replaced.as_deref()),
        (second_id.as_str(), Some("longer"))
    );
    let found = near_match(store, &NearPrints::of(&second), &NearConfig::default());
    assert_eq!(found.map(|(id, _)| id), Some(first_id.clone()));
    assert_eq!(titles_since(store, at), [HEADLINE]);
}

/// The survivor of a merge, stored undated, takes the date of the
/// absorbed article, dated, whichever text it keeps; a dated survivor keeps
/// its own, and stays dated when it takes an undated text.
pub fn an_undated_survivor_of_a_merge_takes_the_other_articles_date(store: &mut dyn Store) {
    use feedfold::dedup::FoldReason;
    use feedfold::dedup::refold::Merge;
    let hour = chrono::Duration::hours(1);
    let at = now() + hour * 6;
    let merge = |store: &mut dyn Store, survivor: &str, absorbed: &str, update| {
        let mut writer = store.begin("wire").unwrap();
        writer
            .merge(
                &Merge {
                    survivor: survivor.into(),
                    absorbed: absorbed.into(),
                    reason: FoldReason {
                        rule: "shared-paragraphs",
                        distance: Some(9),
                        update,
                        evidence: None,
                    },
                    shows_local_intro: false,
                },
                at,
            )
            .unwrap();
        writer.commit(&|| at).unwrap();
    };
    for (n, update) in [None, Some(Update::Longer)].into_iter().enumerate() {
        let headline = format!("Harbour Story {n}");
        let undated_id = fold_all(store, "desk", &[story(&headline, &[LATER], "a.txt")], now())[0]
            .id()
            .to_string();
        let mut dated = story(&headline, &STORY, "b.txt");
        dated.title = format!("Harbour Vote {n}");
        dated.published = Some(now() - hour * 30);
        let dated_id = fold_all(store, "wire", &[dated], now())[0].id().to_string();
        assert!(undated(store, &undated_id));
        merge(store, &undated_id, &dated_id, update);
        let merged = store.article(&undated_id).unwrap().unwrap();
        assert_eq!(merged.published, now() - hour * 30, "{update:?}");
        assert!(!undated(store, &undated_id), "{update:?}");
        assert_eq!(store.article(&dated_id).unwrap(), None);
    }
    // A dated survivor keeps its date, taking an undated text or not.
    for (n, update) in [None, Some(Update::Longer)].into_iter().enumerate() {
        let mut dated = story(&format!("Ferry Story {n}"), &[LATER], "c.txt");
        dated.published = Some(now() - hour * 3);
        let dated_id = fold_all(store, "desk", &[dated], now())[0].id().to_string();
        let mut other = story(&format!("Ferry Vote {n}"), &STORY, "d.txt");
        other.published = None;
        let undated_id = fold_all(store, "wire", &[other], now())[0].id().to_string();
        merge(store, &dated_id, &undated_id, update);
        let merged = store.article(&dated_id).unwrap().unwrap();
        assert_eq!(merged.published, now() - hour * 3, "{update:?}");
        assert!(!undated(store, &dated_id), "{update:?}");
    }
}

/// An aggregator's teaser of a page (its first paragraph, under the
/// page's link with a tracking parameter), then the newsroom's whole story
/// with no link, kept apart: the bodies are too far apart for the
/// near-duplicate rules. The wire's entry of the story (the same text,
/// under the page's link) folds into the story and gives it the link the
/// teaser is filed under: weighed against the teaser in the same
/// transaction (`pipeline::refold`), the two are one article by that link
/// and merge into the teaser, first seen, which takes the whole story; the
/// merge is recorded as a `same-link` fold that replaced the text.
pub fn a_story_that_gains_a_teasers_link_merges_with_the_teaser(store: &mut dyn Store) {
    use feedfold::pipeline::refold::merge_by_link;
    let config = NearConfig::default();
    let page = "https://wire.example/2026/11/28/harbour";
    let teaser = Article {
        upstream_id: Some("agg-1".into()),
        upstream_key: Some("agg-1".into()),
        link: Some(format!("{page}?utm_source=agg")),
        ..story(HEADLINE, &STORY[..1], "https://agg.example/atom.xml")
    };
    let teaser_id = fold_all(store, "agg", &[teaser], now())[0].id().to_string();
    let desk = now() + chrono::Duration::minutes(5);
    let whole = fold_all(store, "desk", &[story(HEADLINE, &STORY, "desk.txt")], desk);
    assert!(matches!(whole[0], Decision::New { .. }), "{whole:?}");
    let story_id = whole[0].id().to_string();

    let wire_at = now() + chrono::Duration::minutes(10);
    let wire = Article {
        upstream_id: Some("w1".into()),
        upstream_key: Some("w1".into()),
        link: Some(page.into()),
        ..story(HEADLINE, &STORY, "https://wire.example/rss.xml")
    };
    let mut writer = store.begin("wire").unwrap();
    let folded = fold_article(&mut *writer, "wire", &wire, Some(&config), wire_at).unwrap();
    assert_eq!(folded.decision.id(), story_id, "{:?}", folded.decision);
    assert!(folded.filled, "the wire gave the story its link");
    assert_eq!(
        writer.filed_under_link(page).unwrap(),
        Some(teaser_id.clone()),
        "the link stays filed under the teaser"
    );
    assert_eq!(
        writer
            .filed_under_link("https://elsewhere.example/")
            .unwrap(),
        None
    );
    let merge = merge_by_link(&mut *writer, "wire", &story_id, &config, wire_at, None)
        .unwrap()
        .expect("one article by its link");
    writer.commit(&|| wire_at).unwrap();
    assert_eq!(
        (merge.survivor.as_str(), merge.absorbed.as_str()),
        (teaser_id.as_str(), story_id.as_str()),
        "the teaser was first seen"
    );
    assert_eq!(merge.reason.update, Some(Update::Longer));
    assert_eq!(store.article_count().unwrap(), 1);
    assert_eq!(store.article(&story_id).unwrap(), None);
    let merged = store.article(&teaser_id).unwrap().unwrap();
    assert_eq!(merged.body.len(), STORY.len(), "the whole story");
    assert_eq!(merged.link.as_deref(), Some(page));
    let recorded = store.folds(None).unwrap();
    let merged_fold = recorded
        .iter()
        .find(|f| f.merged)
        .expect("the merge is recorded");
    assert_eq!(
        (
            merged_fold.copy_id.as_str(),
            merged_fold.rule.as_str(),
            merged_fold.replaced.as_deref()
        ),
        (story_id.as_str(), "same-link", Some("longer"))
    );
    assert!(recorded.iter().all(|f| f.article_id == teaser_id));

    // Weighed again, the survivor holds the link alone: nothing to merge.
    let mut writer = store.begin("wire").unwrap();
    assert_eq!(
        merge_by_link(&mut *writer, "wire", &teaser_id, &config, wire_at, None).unwrap(),
        None
    );
}

/// The titles of the feed entries stored or changed at or after `since`.
fn titles_since(store: &mut dyn Store, since: DateTime<Utc>) -> Vec<String> {
    store
        .feed_entries(None, Some(since), 10)
        .unwrap()
        .into_iter()
        .map(|a| a.title)
        .collect()
}

/// A new in-memory SQLite store holding what `store` exports, as `store
/// copy` moves it.
fn copied(store: &mut dyn Store) -> SqliteStore {
    let mut copy = SqliteStore::open_in_memory().unwrap();
    let mut records = Vec::new();
    store
        .export(
            &mut |batch: Vec<feedfold::store::Record>| -> Result<(), feedfold::store::StoreError> {
                records.extend(batch);
                Ok(())
            },
        )
        .unwrap();
    copy.import(&records).unwrap();
    copy
}

/// A copy taken while another process stores more (a `run` beside a
/// backup) copies one snapshot and checks the copy against that snapshot:
/// it succeeds, and holds what the source held when it began.
fn a_copy_beside_a_writer_matches_the_snapshot_it_copied(
    from: &mut dyn Store,
    writer: &mut dyn Store,
    to: &mut dyn Store,
) {
    use feedfold::store::copy::copy;
    let stories: Vec<Article> = (0..40)
        .map(|n| {
            article(
                &format!("Harbour story number {n}"),
                &format!("Story {n}: the harbour board met on day {n} and agreed a new plan."),
                &format!("h{n}.txt"),
            )
        })
        .collect();
    fold_all(from, "desk", &stories, now());
    let mut wrote = false;
    let copied = copy(from, to, &mut |_| {
        if !wrote {
            wrote = true;
            let late = article(
                "A late story",
                "The ferry ran late on Sunday after a storm in the bay.",
                "late.txt",
            );
            fold_all(writer, "late", &[late], now());
        }
    })
    .unwrap();
    assert!(wrote, "the writer stored while the copy ran");
    assert_eq!(copied.counts.articles, 40, "the snapshot's articles");
    assert_eq!(to.article_count().unwrap(), 40);
    assert_eq!(
        from.article_count().unwrap(),
        41,
        "the writer's story is in the source"
    );
    // Copied again once the writer is done, the copy takes the rest.
    let again = copy(from, to, &mut |_| {}).unwrap();
    assert_eq!(again.counts.articles, 41);
}

#[test]
fn sqlite_a_copy_beside_a_writer_matches_the_snapshot_it_copied() {
    let dir = tempfile::tempdir().unwrap();
    let mut from = SqliteStore::open(&dir.path().join("store.db")).unwrap();
    let mut writer = SqliteStore::open(&dir.path().join("store.db")).unwrap();
    let mut to = SqliteStore::open(&dir.path().join("copy.db")).unwrap();
    a_copy_beside_a_writer_matches_the_snapshot_it_copied(&mut from, &mut writer, &mut to);
}

#[test]
fn postgres_a_copy_beside_a_writer_matches_the_snapshot_it_copied() {
    let Some(url) = common::postgres::database("copy_beside_writer") else {
        return;
    };
    let url = feedfold::config::StoreUrl::parse(&url).unwrap();
    let mut from = PgStore::open(&url).unwrap();
    let mut writer = PgStore::open(&url).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut to = SqliteStore::open(&dir.path().join("copy.db")).unwrap();
    a_copy_beside_a_writer_matches_the_snapshot_it_copied(&mut from, &mut writer, &mut to);
}

/// A page after a position (what a `next` link holds) goes on after the
/// place an article stood, once that article is merged into another as
/// well as before; its id then has no position, and names the article it
/// went into.
pub fn a_page_after_a_position_goes_on_once_its_article_is_merged_away(store: &mut dyn Store) {
    use feedfold::pipeline::refold::refold_article;
    let config = NearConfig::default();
    let mut older = article(
        "Library Extends Opening Hours",
        "Open until ten.",
        "lib.txt",
    );
    older.published = Some(now() - chrono::Duration::days(3));
    let older_id = fold_all(store, "desk", &[older], now())[0].id().to_string();
    let mut local = vec![INTRO];
    local.extend(STORY);
    let mut herald = story(LOCAL_HEADLINE, &local, "herald.txt");
    herald.published = Some(now() - chrono::Duration::hours(2));
    let cut = Article {
        upstream_id: Some("g1".into()),
        upstream_key: Some("g1".into()),
        link: Some("https://gazette.example/g1".into()),
        published: Some(now() - chrono::Duration::hours(1)),
        ..story(HEADLINE, &STORY[..3], "https://gazette.example/feed.xml")
    };
    let herald_id = fold_all(store, "herald", &[herald], now())[0]
        .id()
        .to_string();
    let later = now() + chrono::Duration::minutes(1);
    let gazette_id = fold_all(store, "gazette", &[cut], later)[0]
        .id()
        .to_string();
    let listed = store.feed_page(None, None, None, 10).unwrap();
    let ids: Vec<&str> = listed.iter().map(|(a, _)| a.id.as_str()).collect();
    assert_eq!(
        ids,
        [gazette_id.as_str(), herald_id.as_str(), older_id.as_str()]
    );
    let (_, at) = listed[0];
    for (i, (_, position)) in listed.iter().enumerate() {
        let next = store.feed_page(None, None, Some(*position), 1).unwrap();
        let expected = listed.get(i + 1).map(|(a, p)| (a.id.as_str(), *p));
        assert_eq!(
            next.first().map(|(a, p)| (a.id.as_str(), *p)),
            expected,
            "after {i}"
        );
    }

    let wire_at = now() + chrono::Duration::hours(1);
    let whole = story(HEADLINE, &STORY, "wire.txt");
    let mut writer = store.begin("wire").unwrap();
    fold_article(&mut *writer, "wire", &whole, Some(&config), wire_at).unwrap();
    let merge = refold_article(&mut *writer, "wire", &gazette_id, &config, wire_at, None)
        .unwrap()
        .expect("one story now");
    writer.commit(&|| wire_at).unwrap();
    assert_eq!(merge.absorbed, gazette_id);
    assert_eq!(store.article(&gazette_id).unwrap(), None);

    let after = |store: &mut dyn Store, after| -> Vec<String> {
        store
            .feed_page(None, None, Some(after), 10)
            .unwrap()
            .into_iter()
            .map(|(a, _)| a.id)
            .collect()
    };
    assert_eq!(after(store, at), [herald_id.clone(), older_id.clone()]);
    assert_eq!(store.position_of(&gazette_id).unwrap(), None);
    assert_eq!(
        store.merged_into(&gazette_id).unwrap(),
        Some(herald_id.clone())
    );
    assert_eq!(store.merged_into(&herald_id).unwrap(), None);
    let from_desk = ["desk".to_string()];
    let desk = store
        .feed_page(Some(&from_desk), None, Some(at), 10)
        .unwrap();
    assert_eq!(desk.len(), 1);
    assert_eq!(desk[0].0.id, older_id);
}

/// An article's position ([`Store::position_of`]) is the one the walk
/// lists it at, ties of one date and one fetch included, and the page
/// after it goes on with the next article; an id the store never held has
/// no position and was merged into nothing.
pub fn an_articles_position_is_where_the_walk_lists_it(store: &mut dyn Store) {
    let stories: Vec<Article> = (0..6usize)
        .map(|i| {
            let mut story = article(&format!("Story {i}"), &format!("Body number {i}."), "a.txt");
            story.origin.line = i + 1;
            story.published = Some(now() - chrono::Duration::hours(i.min(3) as i64));
            story
        })
        .collect();
    fold_all(store, "a", &stories[..4], now());
    fold_all(
        store,
        "b",
        &stories[4..],
        now() + chrono::Duration::minutes(1),
    );
    let listed = store.feed_page(None, None, None, 100).unwrap();
    assert_eq!(listed.len(), 6);
    for (i, (article, position)) in listed.iter().enumerate() {
        let at = store.position_of(&article.id).unwrap();
        assert_eq!(at, Some(*position), "{}", article.title);
        let next = store.feed_page(None, None, at, 1).unwrap();
        assert_eq!(
            next.first().map(|(a, _)| a.id.as_str()),
            listed.get(i + 1).map(|(a, _)| a.id.as_str()),
            "after {}",
            article.title
        );
    }
    let unknown = "tag:feedfold.invalid,2026:article:0";
    assert_eq!(store.position_of(unknown).unwrap(), None);
    assert_eq!(store.merged_into(unknown).unwrap(), None);
}

/// A merge keeps the id it took away ([`Store::merged_into`]): it leads to
/// the article it went into, and after a chain of merges to the last
/// survivor, which the walk lists; an id the store holds, one it never
/// held, and a copy's folded as it came (never an article of its own) lead
/// nowhere.
pub fn a_merged_away_id_leads_to_the_last_survivor_of_a_chain_of_merges(store: &mut dyn Store) {
    use feedfold::dedup::FoldReason;
    use feedfold::dedup::refold::Merge;
    let stories = [
        (
            "Ferry Timetable Changes",
            "Ferries will run every two hours.",
        ),
        (
            "Bridge Reopens After Repairs",
            "The bridge reopened on Friday.",
        ),
        ("Night Market Moves", "The market moves to the old station."),
    ];
    let ids: Vec<String> = stories
        .iter()
        .enumerate()
        .map(|(i, (title, body))| {
            let mut story = article(title, body, "desk.txt");
            story.origin.line = i + 1;
            let at = now() + chrono::Duration::minutes(i as i64);
            fold_all(store, "desk", &[story], at)[0].id().to_string()
        })
        .collect();
    let copy = Article {
        upstream_id: Some("w1".into()),
        upstream_key: Some("w1".into()),
        ..article(stories[0].0, stories[0].1, "https://wire.example/feed.xml")
    };
    let folded = fold_all(store, "wire", &[copy], now() + chrono::Duration::minutes(5));
    assert_eq!(folded[0].id(), ids[0], "{folded:?}");
    let merge = |store: &mut dyn Store, survivor: &str, absorbed: &str, hours: i64| {
        let at = now() + chrono::Duration::hours(hours);
        let mut writer = store.begin("desk").unwrap();
        let merge = Merge {
            survivor: survivor.into(),
            absorbed: absorbed.into(),
            reason: FoldReason {
                rule: "contained",
                distance: Some(3),
                update: None,
                evidence: None,
            },
            shows_local_intro: false,
        };
        writer.merge(&merge, at).unwrap();
        writer.commit(&|| at).unwrap();
    };
    merge(store, &ids[1], &ids[2], 1);
    assert_eq!(store.merged_into(&ids[2]).unwrap(), Some(ids[1].clone()));
    merge(store, &ids[0], &ids[1], 2);
    for gone in &ids[1..] {
        assert_eq!(store.position_of(gone).unwrap(), None, "{gone}");
        assert_eq!(
            store.merged_into(gone).unwrap(),
            Some(ids[0].clone()),
            "{gone}"
        );
    }
    assert_eq!(store.merged_into(&ids[0]).unwrap(), None);
    let survivor = store.position_of(&ids[0]).unwrap();
    let listed = store.feed_page(None, None, None, 10).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (listed[0].0.id.as_str(), Some(listed[0].1)),
        (ids[0].as_str(), survivor)
    );
    let folds = store.folds(None).unwrap();
    let as_it_came: Vec<&str> = folds
        .iter()
        .filter(|f| !f.merged)
        .map(|f| f.copy_id.as_str())
        .collect();
    assert_eq!(as_it_came.len(), 1, "{folds:#?}");
    assert!(!ids.iter().any(|id| id == as_it_came[0]), "{folds:#?}");
    assert_eq!(store.merged_into(as_it_came[0]).unwrap(), None);
    assert_eq!(store.merged_into("never-stored").unwrap(), None);
}

/// A walk whose cursor names an article among others of the same dates (an
/// undated batch, one fetch) goes on from where that article stood, each
/// article listed once, after a merge took the article away and undid it,
/// and after it was merged again: the article is back at its place.
pub fn a_walk_goes_on_from_its_cursor_once_a_merge_of_its_article_is_undone(store: &mut dyn Store) {
    use feedfold::dedup::FoldReason;
    use feedfold::dedup::refold::{Merge, Unmerge};
    use feedfold::store::FeedCursor;
    let mut survivor = article("Harbour Master Retires", "After forty years.", "old.txt");
    survivor.published = Some(now() - chrono::Duration::days(2));
    let survivor_id = fold_all(store, "desk", &[survivor], now())[0]
        .id()
        .to_string();
    let batch: Vec<Article> = (0..5usize)
        .map(|i| {
            let mut story = article(
                &format!("Notice {i}"),
                &format!("Notice body {i}."),
                "notices.txt",
            );
            story.origin.line = i + 1;
            story
        })
        .collect();
    let batch_at = now() + chrono::Duration::minutes(1);
    fold_all(store, "desk", &batch, batch_at);
    let listed = store.feed_page(None, None, None, 100).unwrap();
    let all: Vec<String> = listed.iter().map(|(a, _)| a.id.clone()).collect();
    assert_eq!(all.len(), 6);
    assert_eq!(all[5], survivor_id, "the batch first, all of one date");
    let (taken, at) = &listed[2];
    let cursor = FeedCursor {
        id: taken.id.clone(),
        at: *at,
    };
    let merge = |store: &mut dyn Store, hours: i64| {
        let at = now() + chrono::Duration::hours(hours);
        let mut writer = store.begin("desk").unwrap();
        let merge = Merge {
            survivor: survivor_id.clone(),
            absorbed: cursor.id.clone(),
            reason: FoldReason {
                rule: "contained",
                distance: Some(3),
                update: None,
                evidence: None,
            },
            shows_local_intro: false,
        };
        writer.merge(&merge, at).unwrap();
        writer.commit(&|| at).unwrap();
    };
    let walk_on = |store: &mut dyn Store| -> Vec<String> {
        let place = store
            .place_of_cursor(&cursor)
            .unwrap()
            .expect("the cursor's place");
        store
            .feed_page(None, None, Some(place), 100)
            .unwrap()
            .into_iter()
            .map(|(a, _)| a.id)
            .collect()
    };
    merge(store, 1);
    assert_eq!(walk_on(store), all[3..], "merged away");

    let undo_at = now() + chrono::Duration::hours(2);
    let mut writer = store.begin("desk").unwrap();
    let undone = writer
        .unmerge(&Unmerge {
            absorbed: cursor.id.clone(),
            survivor: survivor_id.clone(),
            entry_key: "notice-2".into(),
        })
        .unwrap();
    assert!(undone);
    writer.commit(&|| undo_at).unwrap();
    assert_eq!(store.article_count().unwrap(), 6);
    assert_eq!(store.position_of(&cursor.id).unwrap(), Some(cursor.at));
    let relisted: Vec<String> = store
        .feed_page(None, None, None, 100)
        .unwrap()
        .into_iter()
        .map(|(a, _)| a.id)
        .collect();
    assert_eq!(relisted, all, "back at its place");
    assert_eq!(
        walk_on(store),
        all[3..],
        "each article once from the cursor"
    );

    merge(store, 3);
    assert_eq!(walk_on(store), all[3..], "merged away again");
}

/// The number (place among those of one date and one fetch) of an article
/// a merge took away is given to no other article while the merge keeps it
/// aside, whichever article was stored last: one stored after the merge in
/// that fetch takes a number of its own, so a walk whose cursor named the
/// merged article goes on to it, and undoing the merge puts the article
/// back at its place, each article listed once before and after.
pub fn a_number_a_merge_keeps_aside_is_given_to_no_article_stored_after(store: &mut dyn Store) {
    use feedfold::dedup::FoldReason;
    use feedfold::dedup::refold::{Merge, Unmerge};
    use feedfold::store::FeedCursor;
    let config = NearConfig::default();
    let mut survivor = article("Harbour Master Retires", "After forty years.", "old.txt");
    survivor.published = Some(now() - chrono::Duration::days(2));
    let survivor_id = fold_all(store, "desk", &[survivor], now())[0]
        .id()
        .to_string();
    let notice = |i: usize| {
        let mut story = article(
            &format!("Notice {i}"),
            &format!("Notice body {i}."),
            "notices.txt",
        );
        story.origin.line = i + 1;
        story
    };
    let batch: Vec<Article> = (0..3).map(notice).collect();
    let batch_at = now() + chrono::Duration::minutes(1);
    fold_all(store, "desk", &batch, batch_at);
    let listed = store.feed_page(None, None, None, 100).unwrap();
    let all: Vec<String> = listed.iter().map(|(a, _)| a.id.clone()).collect();
    assert_eq!(all.len(), 4);
    assert_eq!(all[3], survivor_id, "the batch first, all of one date");
    // The last article stored, the last of the batch listed.
    let (taken, at) = &listed[2];
    let cursor = FeedCursor {
        id: taken.id.clone(),
        at: *at,
    };
    let walk_on = |store: &mut dyn Store| -> Vec<String> {
        let place = store
            .place_of_cursor(&cursor)
            .unwrap()
            .expect("the cursor's place");
        store
            .feed_page(None, None, Some(place), 100)
            .unwrap()
            .into_iter()
            .map(|(a, _)| a.id)
            .collect()
    };
    let walk_by_one = |store: &mut dyn Store| -> Vec<String> {
        let mut walked = Vec::new();
        let mut after = None;
        while let Some((article, position)) = store
            .feed_page(None, None, after, 1)
            .unwrap()
            .into_iter()
            .next()
        {
            assert!(walked.len() < 10, "the walk does not end: {walked:?}");
            walked.push(article.id);
            after = Some(position);
        }
        walked
    };

    // In one fetch, the article is merged away and another stored after it.
    let mut writer = store.begin("desk").unwrap();
    let merge = Merge {
        survivor: survivor_id.clone(),
        absorbed: cursor.id.clone(),
        reason: FoldReason {
            rule: "contained",
            distance: Some(3),
            update: None,
            evidence: None,
        },
        shows_local_intro: false,
    };
    writer.merge(&merge, batch_at).unwrap();
    let late = fold_article(&mut *writer, "desk", &notice(3), Some(&config), batch_at)
        .unwrap()
        .decision
        .id()
        .to_string();
    writer.commit(&|| batch_at).unwrap();
    let late_at = store.position_of(&late).unwrap().expect("stored");
    assert_eq!(
        (late_at.published, late_at.first_seen),
        (cursor.at.published, cursor.at.first_seen),
        "of the batch's date and fetch"
    );
    assert_ne!(late_at, cursor.at, "a number of its own");
    assert_eq!(
        walk_on(store),
        [late.clone(), survivor_id.clone()],
        "merged away, the walk goes on to the article stored after it"
    );
    let merged: Vec<String> = [&all[..2], &[late.clone(), survivor_id.clone()][..]].concat();
    assert_eq!(walk_by_one(store), merged);

    let undo_at = now() + chrono::Duration::hours(2);
    let mut writer = store.begin("desk").unwrap();
    let undone = writer
        .unmerge(&Unmerge {
            absorbed: cursor.id.clone(),
            survivor: survivor_id.clone(),
            entry_key: "notice-2".into(),
        })
        .unwrap();
    assert!(undone);
    writer.commit(&|| undo_at).unwrap();
    assert_eq!(store.article_count().unwrap(), 5);
    assert_eq!(
        store.position_of(&cursor.id).unwrap(),
        Some(cursor.at),
        "back under its own number"
    );
    assert_eq!(store.position_of(&late).unwrap(), Some(late_at));
    let restored: Vec<String> = [&all[..3], &[late.clone(), survivor_id.clone()][..]].concat();
    assert_eq!(walk_by_one(store), restored, "each article once");
    assert_eq!(walk_on(store), [late, survivor_id], "on from the cursor");
}

/// Source `wire` after one cycle: two entries read from its feed, its
/// fetch state, a sitemap's validators, a page fetched and a cycle kept.
/// The ids of the two entries.
fn wire_read_once(store: &mut dyn Store) -> Vec<String> {
    use feedfold::ingest::fetch_state::DocumentValidators;
    let tagged = Validators {
        etag: Some("\"v1\"".into()),
        last_modified: None,
    };
    let mut writer = store.begin("wire").unwrap();
    let ids = [
        entry(
            "guid-1",
            "https://up.example/1",
            "The ferry timetable was approved.",
        ),
        entry(
            "guid-2",
            "https://up.example/2",
            "Divers found the old wreck.",
        ),
    ]
    .iter()
    .map(|a| {
        let folded = fold_article(&mut *writer, "wire", a, Some(&NearConfig::default()), now());
        folded.unwrap().decision.id().to_string()
    })
    .collect();
    writer
        .put_fetch_state(&FetchState::succeeded(
            "https://up.example/feed.xml",
            tagged.clone(),
            now(),
        ))
        .unwrap();
    writer
        .put_document_validators(&DocumentValidators::from([(
            "https://up.example/sitemap.xml".to_string(),
            tagged,
        )]))
        .unwrap();
    writer
        .remember_page(&read_at("https://up.example/1", "v1"))
        .unwrap();
    writer.commit(&now).unwrap();
    store
        .record_cycles(&[cycle("wire", 0, 2, 0, false)])
        .unwrap();
    ids
}

pub fn a_renamed_source_keeps_everything_and_its_entries_as_its_own(store: &mut dyn Store) {
    let ids = wire_read_once(store);
    let state = store.fetch_state("wire").unwrap();
    let documents = store.document_validators("wire").unwrap();
    let moved = store.rename_source("wire", "reuters").unwrap();
    assert_eq!(
        moved,
        SourceHoldings {
            entries: 2,
            places: 1,
            fetch_state: true,
            documents: 1,
            pages: 1,
            cycles: 1,
        }
    );
    // Its fetch state, documents' validators, pages and cycles are the new
    // name's; the old name keeps none.
    assert_eq!(store.fetch_state("reuters").unwrap(), state);
    assert_eq!(store.fetch_state("wire").unwrap(), FetchState::default());
    assert_eq!(store.document_validators("reuters").unwrap(), documents);
    assert!(store.document_validators("wire").unwrap().is_empty());
    let page = ["https://up.example/1".to_string()];
    assert_eq!(store.pages_seen("reuters", &page).unwrap().len(), 1);
    assert!(store.pages_seen("wire", &page).unwrap().is_empty());
    assert_eq!(store.fetched_sources().unwrap(), ["reuters"]);
    assert_eq!(store.cycles().unwrap(), [cycle("reuters", 0, 2, 0, false)]);
    // Its articles were seen by the source under its new name.
    assert_eq!(store.sightings(&ids[0]).unwrap()[0].source, "reuters");
    let listed = store
        .feed_entries(Some(&["reuters".to_string()]), None, 10)
        .unwrap();
    assert_eq!(listed.len(), 2);
    assert!(
        store
            .feed_entries(Some(&["wire".to_string()]), None, 10)
            .unwrap()
            .is_empty()
    );

    // Under its new name, an entry unchanged is known, an edited one
    // updates its article in place, and a new one gets an id of the new
    // name.
    let later = now() + chrono::Duration::hours(1);
    let decisions = fold_all(
        store,
        "reuters",
        &[
            entry(
                "guid-1",
                "https://up.example/1",
                "The ferry timetable was approved.",
            ),
            entry(
                "guid-2",
                "https://up.example/2",
                "Divers found the old wreck and its bell.",
            ),
            entry(
                "guid-3",
                "https://up.example/3",
                "The library budget was debated.",
            ),
        ],
        later,
    );
    assert_eq!(
        decisions[0],
        Decision::Repeat {
            id: ids[0].clone(),
            by: Exact::Entry
        }
    );
    assert_eq!(decisions[1], Decision::Update { id: ids[1].clone() });
    assert_eq!(
        decisions[2],
        Decision::New {
            id: feedfold::dedup::fingerprint::entry_id("reuters", "guid-3")
        }
    );
    let edited = store.article(&ids[1]).unwrap().unwrap();
    assert!(edited.body[0].text.contains("its bell"));
    assert_eq!((edited.published, edited.updated), (now(), later));
    assert_eq!(store.article_count().unwrap(), 3);
    assert!(
        store.folds(None).unwrap().is_empty(),
        "nothing folded as a copy"
    );
    assert_eq!(store.sightings(&ids[1]).unwrap().len(), 1, "one place");
}

pub fn nothing_is_kept_under_a_name_a_source_was_renamed_from(store: &mut dyn Store) {
    wire_read_once(store);
    store.rename_source("wire", "reuters").unwrap();
    let renamed = |e: StoreError| match e {
        StoreError::Renamed {
            former, current, ..
        } => (former, current),
        other => panic!("{other}"),
    };
    let refused = store.begin("wire").err().expect("no transaction of wire");
    assert_eq!(
        renamed(refused),
        ("wire".to_string(), "reuters".to_string())
    );
    let state = FetchState::fresh("https://up.example/feed.xml").failed("HTTP 500", None, now());
    let refused = store.put_fetch_state("wire", &state).unwrap_err();
    assert!(refused.to_string().contains("was renamed to \"reuters\""));
    store
        .record_cycles(&[
            cycle("wire", 5, 0, 0, true),
            cycle("reuters", 5, 1, 0, false),
        ])
        .unwrap();
    let sources: Vec<String> = store
        .cycles()
        .unwrap()
        .into_iter()
        .map(|c| c.source)
        .collect();
    assert_eq!(sources, ["reuters", "reuters"]);
    assert_eq!(store.fetch_state("wire").unwrap(), FetchState::default());
    // The source's own writer knows its former name.
    let writer = store.begin("reuters").unwrap();
    assert_eq!(writer.former_names(), ["wire"]);
}

pub fn a_rename_is_refused_for_what_the_names_hold_and_changes_nothing(store: &mut dyn Store) {
    wire_read_once(store);
    fold_all(
        store,
        "desk",
        &[article("Harbour", "The harbour reopened.", "desk.txt")],
        now(),
    );
    let counts = store.counts().unwrap();
    let refused = |store: &mut dyn Store, old: &str, new: &str| {
        let error = store.rename_source(old, new).unwrap_err();
        assert_eq!(store.counts().unwrap(), counts, "{error}");
        error
    };
    assert!(matches!(
        refused(store, "gone", "reuters"),
        RenameError::NothingUnder { .. }
    ));
    match refused(store, "wire", "desk") {
        RenameError::NewHolds { new, holdings } => {
            assert_eq!(new, "desk");
            assert_eq!(holdings.places, 1);
        }
        other => panic!("{other}"),
    }
    assert_eq!(store.fetch_state("wire").unwrap().failures, 0);
    assert!(store.begin("wire").is_ok(), "still wire");

    store.rename_source("wire", "reuters").unwrap();
    assert!(matches!(
        refused(store, "wire", "ap"),
        RenameError::AlreadyRenamed { current, .. } if current == "reuters"
    ));
    // Another source may not take a name whose ids were the renamed one's.
    assert!(matches!(
        refused(store, "desk", "wire"),
        RenameError::FormerName { current, .. } if current == "reuters"
    ));
    // The source itself may have it back.
    store.rename_source("reuters", "wire").unwrap();
    assert_eq!(store.begin("wire").unwrap().former_names(), ["reuters"]);
    assert!(matches!(
        store.begin("reuters").err(),
        Some(StoreError::Renamed { .. })
    ));
}

pub fn a_source_renamed_twice_and_copied_keeps_every_former_name(store: &mut dyn Store) {
    use feedfold::store::copy::copy;
    let ids = wire_read_once(store);
    store.rename_source("wire", "reuters").unwrap();
    store.rename_source("reuters", "ap").unwrap();
    assert_eq!(
        store.begin("ap").unwrap().former_names(),
        ["reuters", "wire"]
    );
    for former in ["wire", "reuters"] {
        assert!(store.begin(former).is_err(), "{former}");
    }
    // A copy keeps them: the entries stored under the first name are the
    // source's own there too.
    let mut memory = SqliteStore::open_in_memory().unwrap();
    copy(store, &mut memory, &mut |_| {}).unwrap();
    assert_eq!(
        memory.begin("ap").unwrap().former_names(),
        ["reuters", "wire"]
    );
    let later = now() + chrono::Duration::hours(1);
    let edited = entry(
        "guid-1",
        "https://up.example/1",
        "The ferry timetable was delayed.",
    );
    for target in [store, &mut memory as &mut dyn Store] {
        let decisions = fold_all(target, "ap", std::slice::from_ref(&edited), later);
        assert_eq!(decisions[0], Decision::Update { id: ids[0].clone() });
    }
}

pub fn every_name_anything_is_kept_under_is_a_held_source_name(store: &mut dyn Store) {
    assert!(store.held_source_names().unwrap().is_empty());
    wire_read_once(store);
    // A source that only ever failed keeps a cycle; one that only waited
    // out a backoff, a fetch state.
    store
        .record_cycles(&[cycle("desk", 1, 0, 0, true)])
        .unwrap();
    store
        .put_fetch_state("agency", &FetchState::default())
        .unwrap();
    assert_eq!(
        store.held_source_names().unwrap(),
        ["agency", "desk", "wire"]
    );
    // A former name is held as the name its source has now.
    store.rename_source("wire", "reuters").unwrap();
    assert_eq!(
        store.held_source_names().unwrap(),
        ["agency", "desk", "reuters", "wire"]
    );
}

/// Renames `wire` to `reuters` in `store`, reads one more entry under the
/// new name, and copies `store` again into `copy`, an earlier copy of it
/// taken before the rename: the copy takes the rename, stands as `store`
/// does, and keeps nothing under the old name.
fn rename_and_copy_again(store: &mut dyn Store, copy: &mut dyn Store, ids: &[String]) {
    store.rename_source("wire", "reuters").unwrap();
    let later = now() + chrono::Duration::hours(1);
    let news = entry(
        "guid-3",
        "https://up.example/3",
        "The harbour reopened after the storm.",
    );
    fold_all(store, "reuters", &[news], later);
    feedfold::store::copy::copy(store, copy, &mut |_| {}).expect("an earlier copy");
    assert_eq!(copy.counts().unwrap(), store.counts().unwrap());
    assert_eq!(copy.begin("reuters").unwrap().former_names(), ["wire"]);
    assert!(copy.begin("wire").is_err());
    for id in ids {
        let sources: Vec<String> = copy
            .sightings(id)
            .unwrap()
            .into_iter()
            .map(|s| s.source)
            .collect();
        assert_eq!(sources, ["reuters"], "{id}");
    }
}

pub fn an_earlier_copy_takes_a_rename_made_since_when_copied_again(store: &mut dyn Store) {
    use feedfold::store::copy::copy;
    let ids = wire_read_once(store);
    let mut earlier = SqliteStore::open_in_memory().unwrap();
    copy(store, &mut earlier, &mut |_| {}).unwrap();
    rename_and_copy_again(store, &mut earlier, &ids);
}

pub fn an_earlier_copy_here_is_renamed_as_the_store_it_copies(store: &mut dyn Store) {
    use feedfold::store::copy::copy;
    let mut origin = SqliteStore::open_in_memory().unwrap();
    let ids = wire_read_once(&mut origin);
    copy(&mut origin, store, &mut |_| {}).unwrap();
    rename_and_copy_again(&mut origin, store, &ids);
}
