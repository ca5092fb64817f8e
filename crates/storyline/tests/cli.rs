//! End-to-end tests of the `storyline` command: real files in a temporary directory, the real
//! binary, its output and exit status.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_storyline"));
    c.env_remove("STORYLINE_DB").env_remove("STORYLINE_CONFIG");
    // The fetching tests talk to a server on loopback, never through a proxy.
    for proxy in ["ALL_PROXY", "all_proxy", "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"] {
        c.env_remove(proxy);
    }
    c
}

fn run(db: &Path, args: &[&str]) -> Output {
    bin().arg("--db").arg(db).args(args).output().expect("binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json_of(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", stdout(o), stderr(o)))
}

fn seeds() -> Option<PathBuf> {
    let p = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/seeds"));
    p.is_dir().then_some(p)
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

#[test]
fn seeds_are_stored_as_dutch_articles_with_titles_and_dates() {
    let Some(seeds) = seeds() else {
        eprintln!("../shared/seeds not present; skipped");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let o = run(&db, &["ingest", seeds.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let list = json_of(&run(&db, &["articles", "--json"]));
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    for a in list {
        assert_eq!(a["language"], "nl", "{a}");
    }
    let first =
        list.iter().find(|a| a["published"] == "2017-10").expect("the October report keeps month precision");
    assert!(
        first["title"].as_str().unwrap().starts_with("Honderden strijders van Islamitische Staat"),
        "{first}"
    );
    let second = list.iter().find(|a| a["published"].is_null()).unwrap();
    assert_eq!(
        second["title"],
        "Honderden IS-strijders en hun families kregen gewapende aftocht uit Raqqa dankzij geheime deal"
    );
    let full = json_of(&run(&db, &["article", second["id"].as_str().unwrap(), "--json"]));
    let text = full["text"].as_str().unwrap();
    assert!(!text.contains("20u07") && !text.contains("Bron: BBC") && !text.contains("Photo News"), "{text}");
    assert!(text.starts_with("Zo'n 250 IS-strijders"), "{text}");
    assert_eq!(full["metadata"]["credit"], "BBC");
    assert_eq!(full["metadata"]["time"], "20u07");
    assert_eq!(full["metadata"]["initials"], "JC");
    assert_eq!(full["language"]["code"], "nl");
    assert_eq!(full["language"]["declared"], false);
    // Re-running the ingest changes nothing.
    let again = json_of(&run(&db, &["ingest", seeds.to_str().unwrap(), "--json"]));
    assert_eq!(again["ingested"], 0);
    assert_eq!(again["duplicates"], 2);
}

#[test]
fn bad_inputs_are_reported_by_file_and_record_and_the_rest_goes_in() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("empty.txt"), b"").unwrap();
    std::fs::write(input.join("junk.txt"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0").unwrap();
    let good = "{\"id\":\"g1\",\"title\":\"Brug in Kampen weer open\",\"text\":\"De brug over de IJssel in Kampen is sinds maandag weer open voor alle verkeer.\"}\n";
    let mut gz = gzip(format!("{good}{}", good.replace("g1", "g2").replace("Kampen", "Deventer")).as_bytes());
    gz.truncate(gz.len() - 12);
    std::fs::write(input.join("cut.jsonl.gz"), &gz).unwrap();
    let mut mixed = Vec::new();
    mixed.extend_from_slice(good.replace("g1", "m1").replace("Kampen", "Hattem").as_bytes());
    mixed.extend_from_slice(b"{\"id\":\"m2\",\"text\":\"kapotte \xff tekst\"}\n");
    mixed.extend_from_slice(good.replace("g1", "m3").replace("Kampen", "Zwolle").as_bytes());
    std::fs::write(input.join("mixed.jsonl"), &mixed).unwrap();
    std::fs::write(
        input.join("nieuws.rss"),
        "<!DOCTYPE html><html><head><title>Pagina niet gevonden</title></head><body><p>Deze pagina bestaat niet.</p></body></html>",
    )
    .unwrap();
    let db = dir.path().join("s.db");
    let o = run(
        &db,
        &["ingest", input.to_str().unwrap(), dir.path().join("missing.txt").to_str().unwrap(), "--json"],
    );
    assert_eq!(o.status.code(), Some(1), "partial failure exits 1: {}", stderr(&o));
    let err = stderr(&o);
    let name = |f: &str| input.join(f).display().to_string();
    assert!(err.contains(&format!("{}: file is empty", name("empty.txt"))), "{err}");
    assert!(err.contains(&format!("{}: binary data, not text", name("junk.txt"))), "{err}");
    assert!(
        err.contains(&format!("{}: compressed data is truncated or corrupt", name("cut.jsonl.gz"))),
        "{err}"
    );
    assert!(err.contains(&format!("{}: line 2: invalid UTF-8", name("mixed.jsonl"))), "{err}");
    assert!(err.contains(&format!("{}: not an RSS or Atom feed", name("nieuws.rss"))), "{err}");
    assert!(err.contains("missing.txt: no such file or directory"), "{err}");
    let report = json_of(&o);
    assert_eq!(report["failed"], 6, "{report}");
    // m1 and m3 from the mixed file, and g1 from the truncated gzip, before it broke.
    assert_eq!(report["ingested"], 3, "{report}");
    let ids: Vec<String> = json_of(&run(&db, &["articles", "--json"]))
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect();
    for id in ["m1", "m3", "g1"] {
        assert!(ids.contains(&id.to_string()), "{id} missing from {ids:?}");
    }
}

#[test]
fn a_200_megabyte_line_is_skipped_and_the_next_line_goes_in() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.jsonl");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        f.write_all(b"{\"id\":\"huge\",\"text\":\"").unwrap();
        let chunk = vec![b'a'; 1 << 20];
        for _ in 0..200 {
            f.write_all(&chunk).unwrap();
        }
        f.write_all(
            b"\"}\n{\"id\":\"small\",\"text\":\"Een kort bericht over de gemeenteraad van Zwolle.\"}\n",
        )
        .unwrap();
    }
    let db = dir.path().join("s.db");
    let o = run(&db, &["ingest", path.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("huge.jsonl: line 1: record is 209.7 MB, over the 33.6 MB limit"),
        "{}",
        stderr(&o)
    );
    assert_eq!(json_of(&o)["ingested"], 1);
}

#[test]
fn standard_input_is_json_lines_and_options_name_the_outlet_and_fill_gaps() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let mut child = bin()
        .arg("--db")
        .arg(&db)
        .args(["ingest", "-", "--source", "Stdin Courant", "--published", "2025-11", "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"{\"id\":\"s1\",\"text\":\"De raad van Almere stemde dinsdag in met het nieuwe plan voor de binnenstad.\",\"source\":\"Eigen Bron\"}\n{\"id\":\"s2\",\"text\":\"Het plan kost de gemeente ruim twaalf miljoen euro, meer dan eerder begroot.\"}\n")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let s1 = json_of(&run(&db, &["article", "s1", "--json"]));
    // `--source` wins over the record's own outlet.
    assert_eq!(s1["source"], "Stdin Courant");
    assert_eq!(s1["published"], "2025-11");
    let s2 = json_of(&run(&db, &["article", "s2", "--json"]));
    assert_eq!(s2["source"], "Stdin Courant");
    let list = json_of(&run(&db, &["articles", "--source", "stdin courant", "--json"]));
    assert_eq!(list.as_array().unwrap().len(), 2);
}

/// Three JSON Lines records of the project's own writing; the middle one's text is `middle`.
fn three_records(middle: &str) -> String {
    let line = |id: &str, title: &str, text: &str| {
        serde_json::json!({ "id": id, "title": title, "published": "2025-11-04", "language": "nl", "text": text })
            .to_string()
            + "\n"
    };
    [
        line(
            "sep-1",
            "Gemeenteraad Hattem kiest nieuwe wethouder",
            "De gemeenteraad van Hattem heeft dinsdagavond Marieke Soeters gekozen als wethouder van financiën.",
        ),
        line("sep-2", "Zetelverdeling blijft omstreden", middle),
        line(
            "sep-3",
            "Veerpont Olst vaart weer",
            "De veerpont tussen Olst en Welsum vaart sinds woensdag weer, meldt de provincie Overijssel.",
        ),
    ]
    .concat()
}

/// The middle record's text: names and words joined by a typographic apostrophe and a
/// non-breaking hyphen (U+2011), which once made the analysis panic.
const SEPARATORS: &str = "De zetelverdeling volgens de methode-d’Hondt blijft omstreden, zei oud-minister \
    Hedy d’Ancona dinsdag in Den Haag. Een woordvoerder van het ministero dell’Italia meldde dat de \
    anti‑IS‑coalitie volgende week in Rome vergadert over de 3.500 militairen van de missie.";

fn stored_ids(db: &Path) -> Vec<String> {
    let mut ids: Vec<String> = json_of(&run(db, &["articles", "--json"]))
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

#[test]
fn names_joined_by_apostrophes_and_non_breaking_hyphens_go_in_with_their_batch() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("scheiding.jsonl");
    std::fs::write(&file, three_records(SEPARATORS)).unwrap();
    let db = dir.path().join("s.db");
    let o = run(&db, &["ingest", file.to_str().unwrap(), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report = json_of(&o);
    assert_eq!((report["ingested"].as_u64(), report["failed"].as_u64()), (Some(3), Some(0)), "{report}");
    assert_eq!(stored_ids(&db), ["sep-1", "sep-2", "sep-3"]);
    let o = run(&db, &["analyze", file.to_str().unwrap(), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).lines().count(), 3, "{}", stdout(&o));
}

#[test]
fn an_article_whose_analysis_fails_is_reported_and_the_rest_goes_in() {
    // The test build's analysis panics on the marker (storyline-core's `test-panic` feature),
    // as it would on a bug an article trips.
    let marker = storyline_core::analyze::TEST_PANIC_MARKER;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("batch.jsonl");
    std::fs::write(&file, three_records(&format!("Een tekst die de analyse laat falen {marker}."))).unwrap();
    let name = file.display().to_string();
    let db = dir.path().join("s.db");
    let o = run(&db, &["ingest", &name, "--json"]);
    assert_eq!(o.status.code(), Some(1), "partial failure exits 1: {}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains(&format!("{name}: line 2: analysis failed: test panic")), "{err}");
    let report = json_of(&o);
    assert_eq!((report["ingested"].as_u64(), report["failed"].as_u64()), (Some(2), Some(1)), "{report}");
    assert_eq!(report["errors"][0]["record"], "line 2", "{report}");
    assert_eq!(stored_ids(&db), ["sep-1", "sep-3"]);
    // `analyze` shows the other two and names the failed one; `compare` names it and stops.
    let o = run(&db, &["analyze", &name, "--json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains(&format!("{name}: line 2: analysis failed: test panic")), "{}", stderr(&o));
    let shown: Vec<Value> = stdout(&o).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(shown.iter().map(|a| a["id"].as_str().unwrap()).collect::<Vec<_>>(), ["sep-1", "sep-3"]);
    let single = dir.path().join("een.jsonl");
    std::fs::write(&single, three_records(marker).lines().nth(1).unwrap()).unwrap();
    let o = run(&db, &["compare", single.to_str().unwrap(), "sep-1"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("een.jsonl: line 1: analysis failed: test panic"), "{}", stderr(&o));
    // `eval` scores the other two and counts the failed one.
    let labelled = dir.path().join("labelled.jsonl");
    let lines: String = std::fs::read_to_string(&file)
        .unwrap()
        .lines()
        .map(|l| {
            let mut v: Value = serde_json::from_str(l).unwrap();
            v["story"] = Value::from(v["id"].as_str().unwrap());
            format!("{v}\n")
        })
        .collect();
    std::fs::write(&labelled, lines).unwrap();
    let o = run(&db, &["eval", labelled.to_str().unwrap(), "--gold", "story", "--json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("labelled.jsonl: line 2: analysis failed: test panic"), "{}", stderr(&o));
    let v = json_of(&o);
    assert_eq!((v["docs"].as_u64(), v["failed"].as_u64()), (Some(2), Some(1)), "{v}");
}

#[test]
fn unusable_arguments_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    assert_eq!(run(&db, &["ingest", "x.txt", "--published", "gisteren"]).status.code(), Some(2));
    assert_eq!(run(&db, &["ingest", "x.txt", "--format", "pdf"]).status.code(), Some(2));
    assert_eq!(run(&db, &["articles", "--since", "2025-13"]).status.code(), Some(2));
    let cfg = dir.path().join("bad.toml");
    std::fs::write(&cfg, "[ingest]\nunknown_key = 1\n").unwrap();
    let o = bin().arg("--db").arg(&db).arg("--config").arg(&cfg).arg("articles").output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown_key"), "{}", stderr(&o));
}

#[test]
fn every_command_explains_itself_with_an_example() {
    for cmd in ["ingest", "articles", "article", "analyze", "demo", "bench", "watch", "feeds"] {
        let o = bin().args([cmd, "--help"]).output().unwrap();
        assert!(o.status.success());
        let help = stdout(&o);
        assert!(help.contains("Example"), "{cmd} --help has no example:\n{help}");
    }
}

#[test]
fn an_unknown_article_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let o = run(&db, &["article", "bestaat-niet"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no article with id `bestaat-niet`"), "{}", stderr(&o));
}

/// The gold labels of the demo corpus: (path under demo/, record, story).
fn demo_gold() -> Vec<(String, String, String)> {
    let mut rows = Vec::new();
    for name in ["gold-a.tsv", "gold-b.tsv"] {
        let path = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../demo")).join(name);
        let text = std::fs::read_to_string(&path).unwrap();
        for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
            let cols: Vec<&str> = line.split('\t').collect();
            rows.push((cols[0].to_string(), cols[1].to_string(), cols[2].to_string()));
        }
    }
    rows
}

#[test]
fn the_demo_corpus_goes_in_whole_and_copies_link_within_their_story() {
    use storyline_store::{sqlite::SqliteStore, ArticleFilter, Store};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let o = run(&db, &["demo", "--json", "--no-serve"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = json_of(&o);
    assert_eq!(out["ingest"]["failed"], 0, "{}", out["ingest"]);
    let gold = demo_gold();
    let stories: std::collections::BTreeSet<&str> = gold.iter().map(|g| g.2.as_str()).collect();
    assert!(gold.len() >= 40 && stories.len() >= 8, "{} articles, {} stories", gold.len(), stories.len());

    let store = SqliteStore::open(&db).unwrap();
    let list = store.articles(&ArticleFilter::default()).unwrap();
    let stats = store.stats().unwrap();
    // Every gold article is stored, except exact re-runs, which are recorded as sightings.
    assert_eq!(list.len() as u64 + stats.sightings, gold.len() as u64);
    let sources: std::collections::BTreeSet<String> = list.iter().filter_map(|a| a.source.clone()).collect();
    assert!(sources.len() >= 4, "{sources:?}");
    assert!(list.iter().any(|a| a.language == "en") && list.iter().any(|a| a.language == "nl"));

    // Map each stored article to its gold story through where it was read from.
    let story_of = |id: &str| -> String {
        let rec = store.article(id).unwrap().unwrap();
        let origin = rec.article.origin.clone().unwrap();
        let (path, record) = match origin.split_once(": ") {
            Some((p, r)) => (p.trim_start_matches("demo/").to_string(), r.to_string()),
            None => (origin.trim_start_matches("demo/").to_string(), "-".to_string()),
        };
        let number = record.rsplit(' ').next().unwrap_or("-").to_string();
        let key = if path.contains(".warc") {
            rec.article.metadata.get("warc_target_uri").cloned().unwrap_or_default()
        } else if record == "-" {
            "-".to_string()
        } else {
            number
        };
        gold.iter()
            .find(|g| g.0 == path && g.1 == key)
            .unwrap_or_else(|| panic!("no gold row for {path} {key}"))
            .2
            .clone()
    };
    let mut linked = 0;
    for a in &list {
        let story = story_of(&a.id);
        if let Some(original) = &a.near_duplicate_of {
            linked += 1;
            assert_eq!(story_of(original), story, "{} is linked to {} across stories", a.id, original);
        }
    }
    assert!(linked >= 5, "the corpus has at least five edited wire copies; {linked} were linked");
    // Formats: every one is represented.
    let origins: Vec<String> =
        list.iter().map(|a| store.article(&a.id).unwrap().unwrap().article.origin.unwrap()).collect();
    for ext in [".txt", ".jsonl", ".rss", ".atom", ".html", ".warc.gz"] {
        assert!(origins.iter().any(|o| o.contains(ext)), "no article read from a {ext} file");
    }
}

#[test]
fn a_killed_ingest_leaves_a_consistent_store_and_a_rerun_stores_the_rest() {
    use storyline_core::synth::{generate, SynthConfig};
    use storyline_store::{sqlite::SqliteStore, Store};
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("stream.jsonl");
    let cfg =
        SynthConfig { articles: 20_000, stories: 2_000, mean_text_bytes: 1_500, ..SynthConfig::default() };
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&corpus).unwrap());
        for a in generate(&cfg) {
            writeln!(f, "{}", a.to_json_line()).unwrap();
        }
    }
    let db = dir.path().join("s.db");
    let mut child = bin()
        .arg("--db")
        .arg(&db)
        .args(["ingest", corpus.to_str().unwrap(), "--quiet"])
        .env("STORYLINE_BATCH_SIZE", "200")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait (bounded) until some batches are committed, then kill without warning.
    let wal = dir.path().join("s.db-wal");
    let started = std::time::Instant::now();
    while started.elapsed() < std::time::Duration::from_secs(30) {
        if std::fs::metadata(&wal).map(|m| m.len() > 2_000_000).unwrap_or(false) {
            break;
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let _ = child.kill(); // SIGKILL on Unix
    let _ = child.wait();
    // The store opens, is intact, and holds whole batches only.
    let partial = {
        let store = SqliteStore::open(&db).unwrap();
        let conn = rusqlite::Connection::open(&db).unwrap();
        let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(check, "ok");
        store.stats().unwrap().articles
    };
    eprintln!("killed after {partial} of 20000 articles were stored");
    assert_eq!(partial % 200, 0, "only whole batches are stored: {partial}");
    // Re-running stores the rest, and only the rest.
    let o = run(&db, &["ingest", corpus.to_str().unwrap(), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report = json_of(&o);
    assert_eq!(report["ingested"].as_u64().unwrap() + report["duplicates"].as_u64().unwrap(), 20_000);
    assert_eq!(report["duplicates"].as_u64().unwrap(), partial, "{report}");
    assert_eq!(SqliteStore::open(&db).unwrap().stats().unwrap().articles, 20_000);
}

/// The seeds' acceptance check for the analysis (issue: Dutch-first text analysis).
#[test]
fn analyze_finds_what_the_seeds_say() {
    let Some(seeds) = seeds() else {
        eprintln!("../shared/seeds not present; skipped");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("unused.db");
    let second =
        json_of(&run(&db, &["analyze", seeds.join("001_f93500ae73deb103.txt").to_str().unwrap(), "--json"]));
    assert_eq!(second["language"], "nl");
    let quantities = second["quantities"].as_array().unwrap();
    let has = |value: f64, noun: &str| {
        quantities.iter().any(|q| q["value"].as_f64() == Some(value) && q["noun"].as_str() == Some(noun))
    };
    assert!(has(250.0, "strijder"), "{quantities:#?}");
    let fighters = quantities.iter().find(|q| q["value"].as_f64() == Some(250.0)).unwrap();
    assert!(fighters["modifiers"].as_array().unwrap().iter().any(|m| m == "IS"), "{fighters}");
    assert!(has(3500.0, "familielid"));
    assert!(has(50.0, "vrachtwagen"));
    assert!(has(13.0, "bus"));
    let vehicles = quantities.iter().find(|q| q["noun"] == "voertuig").expect("voertuigen");
    assert_eq!(vehicles["min"].as_f64(), Some(100.0), "{vehicles}");
    let km = quantities.iter().find(|q| q["unit"] == "kilometer").expect("kilometer");
    assert_eq!((km["min"].as_f64(), km["max"].as_f64()), (Some(6.0), Some(7.0)), "{km}");
    let quotes = second["quotes"].as_array().unwrap();
    let by_dillon: Vec<&Value> = quotes.iter().filter(|q| q["speaker_key"] == "ryan-dillon").collect();
    assert!(by_dillon.iter().any(|q| q["kind"] == "pull"), "{quotes:#?}");
    assert!(
        by_dillon
            .iter()
            .any(|q| q["text"].as_str().unwrap().starts_with("We wilden niet dat er iemand vertrok")),
        "{quotes:#?}"
    );
    let entities = second["entities"].as_array().unwrap();
    for place in ["Raqqa", "Turkije", "Syrië"] {
        assert!(entities.iter().any(|e| e["text"] == place && e["type"] == "place"), "{place} not a place");
    }
    assert!(second["times"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["text"].as_str().unwrap().contains("midden oktober")));

    let first =
        json_of(&run(&db, &["analyze", seeds.join("000_64d8d240d9b06057.txt").to_str().unwrap(), "--json"]));
    let quantities = first["quantities"].as_array().unwrap();
    assert!(quantities.iter().any(|q| q["value"].as_f64() == Some(275.0)), "{quantities:#?}");
    assert!(first["quotes"].as_array().unwrap().iter().any(|q| q["speaker_key"] == "ryan-dillon"
        && q["text"].as_str().unwrap().contains("burgerslachtoffers te minimaliseren")));
    let times = first["times"].as_array().unwrap();
    let sunday =
        times.iter().find(|t| t["text"].as_str().unwrap().to_lowercase().contains("zondag")).expect("zondag");
    assert!(sunday["value"].as_str().unwrap().starts_with("2017-10"), "{sunday}");
    assert!(
        times.iter().any(|t| t["text"].as_str().unwrap().contains("sinds 2014") && t["value"] == "2014"),
        "{times:#?}"
    );
}

/// The stories of the two seeds in the store, and how many reports the first one holds.
fn seed_story(db: &Path) -> (Vec<i64>, usize) {
    let list = json_of(&run(db, &["articles", "--limit", "500", "--json"]));
    let list = list.as_array().unwrap();
    let stories: Vec<i64> = list
        .iter()
        .filter(|a| {
            let t = a["title"].as_str().unwrap();
            t.starts_with("Honderden strijders van Islamitische Staat")
                || t.starts_with("Honderden IS-strijders en hun families")
        })
        .map(|a| a["story"].as_i64().unwrap())
        .collect();
    let members = list.iter().filter(|a| a["story"].as_i64() == stories.first().copied()).count();
    (stories, members)
}

/// The clustering acceptance case: the two seeds, ingested among other reports about IS and
/// Syria (the demo corpus has a different convoy deal and a camp repatriation), form one story,
/// in either order, and that story holds nothing else.
#[test]
fn the_seeds_form_one_story_in_either_order() {
    let Some(seeds) = seeds() else {
        eprintln!("../shared/seeds not present; skipped");
        return;
    };
    for order in [
        ["000_64d8d240d9b06057.txt", "001_f93500ae73deb103.txt"],
        ["001_f93500ae73deb103.txt", "000_64d8d240d9b06057.txt"],
    ] {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("s.db");
        assert!(run(&db, &["demo", "--quiet", "--json", "--no-serve"]).status.success());
        for seed in order {
            let o = run(&db, &["ingest", seeds.join(seed).to_str().unwrap(), "--quiet"]);
            assert!(o.status.success(), "{}", stderr(&o));
        }
        let (seed_stories, members) = seed_story(&db);
        assert_eq!(seed_stories.len(), 2, "{order:?}");
        assert_eq!(seed_stories[0], seed_stories[1], "the seeds must form one story ({order:?})");
        assert_eq!(members, 2, "the seeds' story holds other reports ({order:?})");
        // Rebuilding the stories keeps them together.
        assert!(run(&db, &["recluster"]).status.success());
        let (rebuilt, members) = seed_story(&db);
        assert_eq!(rebuilt[0], rebuilt[1], "after recluster the seeds must still form one story ({order:?})");
        assert_eq!(members, 2, "after recluster the seeds' story holds other reports ({order:?})");
    }
}

#[test]
fn compare_says_the_seeds_are_one_story_and_shows_what_disagrees() {
    let Some(dir) = seeds() else { return };
    let (a, b) = (dir.join("000_64d8d240d9b06057.txt"), dir.join("001_f93500ae73deb103.txt"));
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("none.db");
    let out = run(&db, &["compare", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Same story"), "{text}");
    assert!(text.contains("275") && text.contains("about 250"), "{text}");
    assert!(text.contains("3.500 familieleden") && text.contains("vijftig vrachtwagens"), "{text}");
    assert!(text.contains("sources: BBC"), "{text}");
    // Comparing stores nothing.
    assert!(!db.exists());

    let c = json_of(&run(&db, &["compare", a.to_str().unwrap(), b.to_str().unwrap(), "--json"]));
    assert_eq!(c["same_story"], true);
    let d = &c["discrepancies"][0];
    let values: Vec<f64> =
        d["values"].as_array().unwrap().iter().map(|v| v["value"].as_f64().unwrap()).collect();
    assert_eq!(values, vec![275.0, 250.0]);
    let b_adds = &c["b"]["adds"];
    for f in ["3.500 familieleden", "vijftig vrachtwagens", "dertien bussen", "meer dan honderd voertuigen"] {
        assert!(b_adds["figures"].as_array().unwrap().iter().any(|x| x == f), "{f} missing: {b_adds}");
    }
    assert!(b_adds["sources"].as_array().unwrap().iter().any(|x| x == "BBC"));
    assert!(b_adds["terms"].as_array().unwrap().iter().any(|x| x == "geheime"));
    assert!(c["shared"]["speakers"].as_array().unwrap().iter().any(|x| x == "Ryan Dillon"));

    // A missing file is a usage error naming it.
    let out = run(&db, &["compare", a.to_str().unwrap(), "no-such-article.txt"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("no-such-article.txt"), "{}", stderr(&out));
}

#[test]
fn the_story_command_shows_the_seed_dossier() {
    let Some(dir) = seeds() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("s.db");
    assert!(run(&db, &["ingest", dir.to_str().unwrap(), "-q"]).status.success());
    let (stories, members) = seed_story(&db);
    assert_eq!((stories.len(), members), (2, 2));
    let id = stories[0].to_string();
    let d = json_of(&run(&db, &["story", &id, "--json"]));
    assert_eq!(d["id"].as_i64(), Some(stories[0]));
    assert_eq!(d["articles"].as_array().unwrap().len(), 2);
    assert_eq!(d["articles"][1]["role"], "follow_up");
    assert_eq!(d["discrepancies"].as_array().unwrap().len(), 1);
    assert!(d["discrepancies"][0]["explanation"].as_str().unwrap().contains("275"));
    let dillon: Vec<&Value> =
        d["quotes"].as_array().unwrap().iter().filter(|q| q["speaker_key"] == "ryan-dillon").collect();
    let carriers: std::collections::BTreeSet<&str> = dillon
        .iter()
        .flat_map(|q| q["articles"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()))
        .collect();
    assert_eq!(carriers.len(), 2);
    let md = stdout(&run(&db, &["story", &id, "--markdown"]));
    assert!(
        md.starts_with("# ") && md.contains("## Where the reports disagree") && md.contains("**about 250**"),
        "{md}"
    );
    let text = stdout(&run(&db, &["story", &id]));
    assert!(text.contains("follow-up with new facts"), "{text}");
    // An unknown story is a usage error.
    let out = run(&db, &["story", "999999"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("999999"));
}

/// Golden dossiers of the demo stories, in Markdown, reviewed in diffs. Set
/// `STORYLINE_UPDATE_GOLDEN=1` to write them again after a deliberate change.
#[test]
fn demo_dossiers_match_their_golden_files() {
    let demo = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../demo"));
    let golden = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden"));
    let update = std::env::var_os("STORYLINE_UPDATE_GOLDEN").is_some();
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("demo.db");
    assert!(run(&db, &["ingest", demo.to_str().unwrap(), "-q"]).status.success());
    let stories = json_of(&run(&db, &["stories", "--min-articles", "2", "--json"]));
    let stories = stories.as_array().unwrap();
    assert!(stories.len() >= 8, "the demo has at least eight stories of several reports");
    let mut expected_files: Vec<String> = Vec::new();
    let mut mismatched = Vec::new();
    for s in stories {
        let id = s["id"].as_i64().unwrap();
        let name = format!("story-{id:03}.md");
        let out = run(&db, &["story", &id.to_string(), "--markdown"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let got = stdout(&out);
        let path = golden.join(&name);
        if update {
            std::fs::create_dir_all(&golden).unwrap();
            std::fs::write(&path, &got).unwrap();
        } else {
            let want = std::fs::read_to_string(&path)
                .unwrap_or_else(|_| panic!("{name} missing; run with STORYLINE_UPDATE_GOLDEN=1"));
            if want != got {
                mismatched.push(name.clone());
            }
        }
        expected_files.push(name);
    }
    assert!(
        mismatched.is_empty(),
        "dossiers differ from tests/golden: {mismatched:?} (diff them; STORYLINE_UPDATE_GOLDEN=1 rewrites)"
    );
    // No stale golden files for stories that no longer exist.
    let mut on_disk: Vec<String> = std::fs::read_dir(&golden)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    expected_files.sort();
    assert_eq!(on_disk, expected_files);
}

/// The first reports of one incident at sea, minutes apart and in other words, and a third that
/// tells both; one gold story.
const FERRY: &str = r#"{"id":"fx-1","source":"Coast Post","published":"2025-02-11T06:00:00Z","language":"en","story":"ferry","title":"Ferry services to Texel suspended","text":"All ferry crossings between Den Helder and Texel have been suspended this morning. Passengers are advised to postpone their journey; the operator expects to give an update at noon."}
{"id":"fx-2","source":"Harbour Herald","published":"2025-02-11T06:07:00Z","language":"en","story":"ferry","title":"Cargo ship loses containers near Wadden islands","text":"A cargo ship lost dozens of containers in heavy swell north of the Wadden islands overnight. The coastguard is tracking the drifting boxes from a patrol aircraft; none of the crew was injured."}
{"id":"fx-3","source":"Coast Post","published":"2025-02-11T06:40:00Z","language":"en","story":"ferry","title":"Drifting containers from cargo ship halt Texel ferry","text":"Dozens of containers a cargo ship lost in heavy swell overnight are drifting near the Wadden islands, and all ferry crossings between Den Helder and Texel have been suspended. The coastguard is tracking the boxes from a patrol aircraft. Passengers are advised to postpone their journey."}
"#;

#[test]
fn a_merged_story_leads_to_the_story_it_joined_and_eval_counts_it_there() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let file = dir.path().join("ferry.jsonl");
    std::fs::write(&file, FERRY).unwrap();
    // One article per batch: the merge happens after the first two were stored.
    let mut ingest = bin();
    ingest.arg("--db").arg(&db).args(["ingest", file.to_str().unwrap()]).env("STORYLINE_BATCH_SIZE", "1");
    let o = ingest.output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let stories = json_of(&run(&db, &["stories", "--json"]));
    let stories = stories.as_array().unwrap();
    assert_eq!(stories.len(), 1, "{stories:?}");
    assert_eq!(stories[0]["articles"], 3);
    let kept = stories[0]["id"].as_i64().unwrap();
    // The second report's story number (its own sequence number) leads to the merged story.
    let merged = json_of(&run(&db, &["article", "fx-2", "--json"]));
    assert_eq!(merged["story"], kept);
    let o = run(&db, &["story", &(kept + 1).to_string()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!("story {} was merged into story {kept}", kept + 1)),
        "{}",
        stderr(&o)
    );
    assert!(stdout(&o).contains("Drifting containers from cargo ship halt Texel ferry"), "{}", stdout(&o));
    // The evaluation scores the stories as they end, not as each batch left them.
    let mut eval = bin();
    eval.args(["eval", file.to_str().unwrap(), "--gold", "story", "--json"]).env("STORYLINE_BATCH_SIZE", "1");
    let o = eval.output().unwrap();
    let v = json_of(&o);
    assert_eq!((v["pred_clusters"].as_u64(), v["bcubed_f1"].as_f64()), (Some(1), Some(1.0)), "{v}");
}

/// Two stories of the project's own writing: the ferry incident and a harbour strike, with a
/// second label (`desk`) that files one ferry report under the strike.
fn labelled_file(dir: &Path) -> PathBuf {
    let mut text = String::new();
    for (i, line) in FERRY.lines().enumerate() {
        let desk = if i == 2 { "strike" } else { "ferry" };
        text.push_str(&line.replacen(
            "\"story\":\"ferry\"",
            &format!("\"story\":\"ferry\",\"desk\":\"{desk}\""),
            1,
        ));
        text.push('\n');
    }
    text.push_str(r#"{"id":"st-1","source":"Harbour Herald","published":"2025-03-04T08:00:00Z","language":"en","story":"strike","desk":"strike","title":"Dock workers in Rotterdam walk out over night shifts","text":"Hundreds of dock workers at the container terminals of Rotterdam stopped work at dawn. Their union wants an end to compulsory night shifts for workers over fifty-five; the terminal operators call the walkout premature."}
{"id":"coast:2025/st-2","source":"Coast Post","published":"2025-03-04T11:30:00Z","language":"en","story":"strike","desk":"strike","title":"Rotterdam terminals idle as dock workers strike over night shifts","text":"The strike by dock workers at Rotterdam's container terminals over compulsory night shifts for older workers left ships waiting at anchor. The union says the walkout continues until the terminal operators return to talks."}
{"id":"st-3","source":"Coast Post","published":"2025-03-04T12:00:00Z","language":"en","title":"A record without its gold label","text":"This record has no story field."}
this line is not JSON
"#);
    let file = dir.join("labelled.jsonl");
    std::fs::write(&file, text).unwrap();
    file
}

#[test]
fn eval_scores_names_its_errors_and_leaves_the_store_alone() {
    let dir = tempfile::tempdir().unwrap();
    let file = labelled_file(dir.path());
    let db = dir.path().join("untouched.db");
    let out = dir.path().join("assignments.jsonl");
    // `storyline eval FILE --gold story --json --assignments OUT` plus `extra`.
    let eval_into = |out: &Path, extra: &[&str]| {
        let mut args = vec!["eval", file.to_str().unwrap(), "--gold", "story", "--json"];
        args.extend(["--assignments", out.to_str().unwrap()]);
        args.extend(extra);
        run(&db, &args)
    };
    let o = eval_into(&out, &[]);
    // Two records could not be scored: a partial failure, each named with its line and reason.
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("labelled.jsonl: line 6: no `story` field"), "{err}");
    assert!(err.contains("labelled.jsonl: line 7"), "{err}");
    let v = json_of(&o);
    for field in [
        "pairwise_p",
        "pairwise_r",
        "pairwise_f1",
        "bcubed_p",
        "bcubed_r",
        "bcubed_f1",
        "gold_clusters",
        "pred_clusters",
        "docs",
        "docs_per_s",
    ] {
        assert!(v[field].is_number(), "{field} missing: {v}");
    }
    assert_eq!(
        (v["docs"].as_u64(), v["gold_clusters"].as_u64(), v["failed"].as_u64()),
        (Some(5), Some(2), Some(2))
    );
    assert_eq!((v["pred_clusters"].as_u64(), v["bcubed_f1"].as_f64()), (Some(2), Some(1.0)), "{v}");
    assert_eq!((v["mixed"].as_array().unwrap().len(), v["split"].as_array().unwrap().len()), (0, 0), "{v}");
    assert!(v["shuffle_seed"].is_null());
    // One assignment per scored article, in file order; the user's store was never created.
    let lines: Vec<Value> =
        std::fs::read_to_string(&out).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let ids: Vec<&str> = lines.iter().map(|l| l["id"].as_str().unwrap()).collect();
    // The record's own id, whatever characters it holds (`:` and `/` included).
    assert_eq!(ids, ["fx-1", "fx-2", "fx-3", "st-1", "coast:2025/st-2"]);
    assert_eq!(lines[0]["story"], lines[2]["story"]);
    assert_ne!(lines[0]["story"], lines[3]["story"]);
    assert!(!db.exists(), "eval created the user's store");

    // Against a label that files one ferry report under the strike: the ferry story mixes two
    // gold stories, and the strike's gold story is split over two predicted ones.
    let o = run(&db, &["eval", file.to_str().unwrap(), "--gold", "desk", "--json"]);
    let v = json_of(&o);
    let mixed = v["mixed"].as_array().unwrap();
    assert_eq!(mixed.len(), 1, "{v}");
    assert_eq!(mixed[0]["predicted"], lines[0]["story"]);
    assert_eq!(
        mixed[0]["gold"],
        serde_json::json!([{"label": "ferry", "articles": 2}, {"label": "strike", "articles": 1}])
    );
    assert_eq!(mixed[0]["wrong_pairs"], 2);
    let split = v["split"].as_array().unwrap();
    assert_eq!(split.len(), 1, "{v}");
    assert_eq!(split[0]["gold"], "strike");
    assert_eq!(split[0]["missed_pairs"], 2);
    // The same errors in text.
    let o = run(&db, &["eval", file.to_str().unwrap(), "--gold", "desk"]);
    let text = stdout(&o);
    assert!(text.contains("B-cubed"), "{text}");
    assert!(text.contains(&format!("story {}: ferry ×2, strike ×1 (2)", lines[0]["story"])), "{text}");
    assert!(text.contains("strike: story"), "{text}");

    // A shuffled order is drawn from the seed: the same seed, the same assignments.
    let shuffled = |seed: &str| {
        let out = dir.path().join(format!("shuffled-{seed}.jsonl"));
        let o = eval_into(&out, &["--shuffle", seed]);
        assert_eq!(json_of(&o)["shuffle_seed"], seed.parse::<u64>().unwrap());
        std::fs::read_to_string(out).unwrap()
    };
    let (a, b) = (shuffled("1"), shuffled("1"));
    assert_eq!(a, b);
    let mut order: Vec<String> = a
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["id"].as_str().unwrap().to_string())
        .collect();
    assert_ne!(order, ["fx-1", "fx-2", "fx-3", "st-1", "coast:2025/st-2"], "seed 1 keeps the file order");
    order.sort();
    assert_eq!(order, ["coast:2025/st-2", "fx-1", "fx-2", "fx-3", "st-1"]);

    // `--shuffles N` scores N more orders (seeds 1..=N) beside the file's.
    let o = eval_into(&dir.path().join("orders.jsonl"), &["--shuffles", "3"]);
    let v = json_of(&o);
    let orders = &v["orders"];
    assert_eq!(orders["shuffled"], 3, "{v}");
    let (mean, worst, best) = (
        orders["mean_bcubed_f1"].as_f64().unwrap(),
        orders["worst_bcubed_f1"].as_f64().unwrap(),
        orders["best_bcubed_f1"].as_f64().unwrap(),
    );
    assert!(worst <= mean && mean <= best && best <= 1.0 && worst > 0.0, "{v}");
    // The worst of the orders is the F1 of one of the seeds' orders.
    let seed_f1: Vec<f64> = (1..=3)
        .map(|seed| {
            json_of(&eval_into(&dir.path().join("one.jsonl"), &["--shuffle", &seed.to_string()]))["bcubed_f1"]
                .as_f64()
                .unwrap()
        })
        .collect();
    assert!(seed_f1.iter().any(|f| (f - worst).abs() < 1e-9), "{seed_f1:?} {v}");
    assert!((seed_f1.iter().sum::<f64>() / 3.0 - mean).abs() < 1e-9, "{seed_f1:?} {v}");
    let o = run(&db, &["eval", file.to_str().unwrap(), "--gold", "story", "--shuffles", "2"]);
    assert!(stdout(&o).contains("B-cubed F1 over 2 shuffled orders: mean"), "{}", stdout(&o));
}

/// `storyline train names` reads CoNLL columns and writes a model that reads back; `storyline
/// eval FILE --gold entities` scores the analysis' names exact span and kind, per kind, and
/// names its errors. The data are a few sentences of the project's own.
#[test]
fn names_train_and_eval() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("unused.db");
    let train = dir.path().join("train.conll");
    let mut conll = String::from("-DOCSTART- -DOCSTART- O\n");
    for (first, last, town) in [
        ("Piet", "Kramer", "Zwolle"),
        ("Kees", "Mol", "Kampen"),
        ("Anna", "Smit", "Deventer"),
        ("Joost", "Bakker", "Assen"),
    ] {
        conll.push_str(&format!(
            "{first} N B-PER\n{last} N I-PER\nwoont V O\nin Prep O\n{town} N B-LOC\n. Punc O\n\n"
        ));
    }
    std::fs::write(&train, &conll).unwrap();
    let model = dir.path().join("model.bin");
    let o = run(
        &db,
        &[
            "train",
            "names",
            "--train",
            train.to_str().unwrap(),
            "--out",
            model.to_str().unwrap(),
            "--epochs",
            "3",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("wrote"), "{}", stdout(&o));
    let bytes = std::fs::read(&model).unwrap();
    assert!(bytes.starts_with(b"SLNER"), "a model file");
    let full = storyline_core::analyze::tagger::Model::from_bytes(&bytes).unwrap();
    assert_eq!(full.feature_set(), storyline_core::analyze::tagger::FeatureSet::Full);
    // The transfer features make another model, which says so in its file.
    let transfer = dir.path().join("transfer.bin");
    let o = run(
        &db,
        &[
            "train",
            "names",
            "--train",
            train.to_str().unwrap(),
            "--out",
            transfer.to_str().unwrap(),
            "--epochs",
            "3",
            "--features",
            "transfer",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let other =
        storyline_core::analyze::tagger::Model::from_bytes(&std::fs::read(&transfer).unwrap()).unwrap();
    assert_eq!(other.feature_set(), storyline_core::analyze::tagger::FeatureSet::Transfer);
    assert_ne!(other.len(), full.len(), "fewer distinct features when only names are read as words");
    // A tag the format does not know is an error naming the line.
    std::fs::write(&train, "Piet N B-PERSON\n").unwrap();
    let o =
        run(&db, &["train", "names", "--train", train.to_str().unwrap(), "--out", model.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("line 1") && stderr(&o).contains("B-PERSON"), "{}", stderr(&o));

    // Gold names: two right, one wrong kind, one missed (a lowercase word no tagger calls a name).
    let gold = dir.path().join("gold.jsonl");
    let text = "Minister Jan Peeters sprak dinsdag in Brussel met de NAVO over de kustwacht.";
    let at = |w: &str| text.find(w).unwrap();
    let entities = serde_json::json!([
        {"start": at("Jan Peeters"), "end": at("Jan Peeters") + 11, "type": "PER"},
        {"start": at("Brussel"), "end": at("Brussel") + 7, "type": "LOC"},
        {"start": at("NAVO"), "end": at("NAVO") + 4, "type": "LOC"},
        {"start": at("kustwacht"), "end": at("kustwacht") + 9, "type": "ORG"},
    ]);
    let line = serde_json::json!({"id": "a", "text": text, "language": "nl", "entities": entities});
    std::fs::write(&gold, format!("{line}\n")).unwrap();
    let o = run(&db, &["eval", gold.to_str().unwrap(), "--gold", "entities", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["documents"], 1);
    let kinds = v["kinds"].as_array().unwrap();
    let kind = |k: &str| kinds.iter().find(|x| x["kind"] == k).unwrap().clone();
    assert_eq!((kind("PER")["gold"].as_u64(), kind("PER")["f1"].as_f64()), (Some(1), Some(1.0)));
    assert_eq!(kind("LOC")["gold"], 2);
    assert_eq!(kind("ORG")["gold"], 1);
    // NAVO is an organisation: found, but not as the gold's place.
    let errors = v["errors"].as_array().unwrap();
    assert!(errors.iter().any(|e| e["gold"] == "LOC NAVO" && e["found"] == "ORG NAVO"), "{errors:?}");
    assert!(errors.iter().any(|e| e["gold"] == "ORG kustwacht" && e["found"] == "-"), "{errors:?}");
    let recall = v["recall"].as_f64().unwrap();
    assert!((recall - 0.5).abs() < 1e-9, "{recall}");
    assert!(!db.exists(), "eval and train leave the store alone");
    // Gold names outside the text are an error naming the line.
    std::fs::write(&gold, r#"{"text": "Kort.", "entities": [{"start": 2, "end": 40, "type": "PER"}]}"#)
        .unwrap();
    let o = run(&db, &["eval", gold.to_str().unwrap(), "--gold", "entities"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("line 1"), "{}", stderr(&o));
}

/// A date the store could not write back (a five-digit year, or one pushed past 9999 by its
/// zone) is refused for its record, named, with the rest stored; a feed's unreadable date is
/// kept as text; the store stays readable; `check` finds rows an older version damaged.
#[test]
fn dates_outside_what_the_store_keeps_never_poison_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let jsonl = dir.path().join("batch.jsonl");
    let good = |id: &str, day: &str| {
        serde_json::json!({"id": id, "title": format!("Dijk bij Venlo {id}"), "published": day, "language": "nl",
            "text": format!("Het waterschap versterkt de dijk bij Venlo. De werkzaamheden aan vak {id} duren tot de zomer.")})
        .to_string()
    };
    let bad = serde_json::json!({"id": "far", "title": "Ver weg", "published": "9999-12-31T23:30:00-01:00",
        "text": "Een bericht uit de verre toekomst."});
    std::fs::write(&jsonl, format!("{}\n{bad}\n{}\n", good("a", "2025-03-01"), good("b", "2025-03-02")))
        .unwrap();
    let o = run(&db, &["ingest", jsonl.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "a partial failure: {}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("batch.jsonl") && err.contains("line 2") && err.contains("9999"), "{err}");
    let feed = dir.path().join("feed.xml");
    std::fs::write(
        &feed,
        "<rss version=\"2.0\"><channel><title>Dagblad</title><item><guid>x1</guid><title>Kade hersteld</title>\
         <pubDate>Tue, 14 Nov 20117</pubDate><description>De kade bij Offenbeek is hersteld, meldt het waterschap.</description>\
         </item></channel></rss>",
    )
    .unwrap();
    assert!(run(&db, &["ingest", feed.to_str().unwrap()]).status.success());
    let list = json_of(&run(&db, &["articles", "--json"]));
    assert_eq!(list.as_array().unwrap().len(), 3, "{list}");
    let x1 = json_of(&run(&db, &["article", "x1", "--json"]));
    assert!(x1["published"].is_null(), "{x1}");
    assert_eq!(x1["metadata"]["published_raw"], "Tue, 14 Nov 20117");
    for args in [&["stories"][..], &["story", "1"], &["articles"]] {
        let o = run(&db, args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    }
    // A filter with a character that is no digit inside its zone is a usage error, not a crash.
    let o = run(&db, &["articles", "--since", "2017-11-14T13:00+0Φ0"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    // A clean store checks clean; a row written by an older version is found and repaired.
    let o = run(&db, &["check"]);
    assert!(o.status.success(), "{}", stdout(&o));
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute("UPDATE articles SET published = '20117-11-14' WHERE id = 'a'", []).unwrap();
    }
    assert!(run(&db, &["articles"]).status.success(), "listing reads around the row");
    let o = run(&db, &["check"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("article `a`: published: unreadable"), "{}", stdout(&o));
    let o = run(&db, &["check", "--repair"]);
    assert!(o.status.success() && stdout(&o).contains("repaired"), "{}", stdout(&o));
    assert!(run(&db, &["check"]).status.success());
    let a = json_of(&run(&db, &["article", "a", "--json"]));
    assert_eq!(a["metadata"]["published_raw"], "20117-11-14");
}

/// Bad inputs, each generated here: what the user is told (file, record, reason), the exit
/// status, what still goes in, and a generous bound on the process's peak memory (its own
/// `peak_rss_kib`, read from /proc at the end of the run; no timings).
#[test]
fn bad_inputs_are_named_bounded_and_never_sink_the_rest() {
    use std::io::Write as _;
    let dir = tempfile::tempdir().unwrap();
    let good = |i: usize| {
        serde_json::json!({"id": format!("g{i}"), "language": "nl",
            "text": format!("Bericht {i} over de brug bij Zwolle, die dicht blijft tot de zomer.")})
        .to_string()
    };
    let mut cases: Vec<(&str, Vec<u8>, i32, &str, u64)> = Vec::new();
    cases.push(("empty.txt", Vec::new(), 1, "empty.txt: file is empty", 0));
    let mut binary: Vec<u8> = (0..3000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    binary[200] = 0;
    cases.push(("binary.txt", binary, 1, "binary data, not text", 0));
    let lines: String = (0..2000).map(|i| good(i) + "\n").collect();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(lines.as_bytes()).unwrap();
    let gz = gz.finish().unwrap();
    cases.push((
        "cut.jsonl.gz",
        gz[..gz.len() / 2].to_vec(),
        1,
        "compressed data is truncated or corrupt",
        500,
    ));
    let mut bad_utf8 = format!("{}\n", good(3000)).into_bytes();
    bad_utf8.extend_from_slice(b"{\"id\":\"u\",\"text\":\"caf\xe9 \xff kapot\"}\n");
    bad_utf8.extend_from_slice(format!("{}\n", good(3001)).as_bytes());
    cases.push(("utf8.jsonl", bad_utf8, 1, "utf8.jsonl: line 2: invalid UTF-8", 2));
    // A line over the record limit (4 MiB here), then a good one.
    let long = format!("{{\"id\":\"long\",\"text\":\"{}\"}}\n{}\n", "a ".repeat(2_500_000), good(3002));
    cases.push(("long.jsonl", long.into_bytes(), 1, "long.jsonl: line 1:", 1));
    let deep = format!(
        "{{\"id\":\"deep\",\"text\":{}{}}}\n{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000),
        good(3003)
    );
    cases.push(("deep.jsonl", deep.into_bytes(), 1, "deep.jsonl: line 1: invalid JSON: recursion limit", 1));
    let lol = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\"><!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\"><!ENTITY lol9 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">]>\
        <rss version=\"2.0\"><channel><title>Bom</title><item><guid>b1</guid><title>Lol</title><description>&lol9;</description></item>\
        <item><guid>b2</guid><title>Gewoon</title><description>Een gewoon bericht over de dijk bij Venlo.</description></item></channel></rss>";
    cases.push(("lol.xml", lol.as_bytes().to_vec(), 0, "", 2));
    let page = format!(
        "<html><body><article><p>{}</p></article></body></html>",
        "De brug blijft dicht. ".repeat(220_000)
    );
    cases.push(("big.html", page.into_bytes(), 1, "big.html: document is over the 4194304-byte limit", 0));
    let many: String =
        (0..20_000).map(|i| format!("{{\"id\":\"t{i}\",\"text\":\"kort bericht {i}\"}}\n")).collect();
    cases.push(("many.jsonl", many.into_bytes(), 0, "", 20_000));
    cases.push(("blank.jsonl", b"\n\n   \n\n".to_vec(), 1, "blank.jsonl: no records in it", 0));

    for (name, bytes, status, message, at_least) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes).unwrap();
        let db = dir.path().join(format!("{name}.db"));
        let o = bin()
            .env("STORYLINE_MAX_RECORD_MB", "4")
            .arg("--db")
            .arg(&db)
            .args(["--json", "ingest"])
            .arg(&path)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(status), "{name}: {}", stderr(&o));
        if !message.is_empty() {
            assert!(stderr(&o).contains(message), "{name}: `{message}` not in {}", stderr(&o));
        }
        let report: Value = serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(report["ingested"].as_u64().unwrap() >= at_least, "{name}: {report}");
        if let Some(peak) = report["peak_rss_kib"].as_u64() {
            assert!(peak < 1024 * 1024, "{name}: peak {peak} KiB");
        }
    }
}

/// `eval DIR --gold extraction` on a folder laid out like the extraction benchmark: the pages go
/// through ingest's extraction, the predictions file is in the benchmark's format, and a page
/// without text is named and makes the exit status 1.
#[test]
fn eval_extraction_scores_a_folder_of_pages_and_names_the_page_without_text() {
    use std::io::Write;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("pages");
    std::fs::create_dir_all(dir.join("html")).unwrap();
    let body = "De gemeenteraad van Hunzedal heeft dinsdagavond ingestemd met de bouw van een nieuwe sporthal in Gieterwolde. \
                De hal moet in 2027 open en kost 14 miljoen euro.";
    let article = format!(
        "<html><head><title>Sporthal Gieterwolde</title></head><body><nav>Home Nieuws Sport</nav>\
         <article><h1>Sporthal Gieterwolde</h1><p>{body}</p></article><footer>Colofon</footer></body></html>"
    );
    // One page gzip-compressed, as the benchmark ships them; one plain.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(article.as_bytes()).unwrap();
    std::fs::write(dir.join("html/sporthal.html.gz"), gz.finish().unwrap()).unwrap();
    std::fs::write(dir.join("html/menu.html"), "<html><body><nav><a href=\"/\">Home</a></nav></body></html>")
        .unwrap();
    let truth = serde_json::json!({
        "sporthal": { "articleBody": body },
        "menu": { "articleBody": "Een tekst die de pagina niet heeft." },
    });
    std::fs::write(dir.join("ground-truth.json"), truth.to_string()).unwrap();
    let predictions = tmp.path().join("out.json");
    let db = tmp.path().join("unused.db");
    let out = run(
        &db,
        &[
            "eval",
            dir.to_str().unwrap(),
            "--gold",
            "extraction",
            "--json",
            "--predictions",
            predictions.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report = json_of(&out);
    assert_eq!(report["pages"], 2);
    assert_eq!(report["without_text"], serde_json::json!(["menu"]));
    assert_eq!(report["panics"], 0);
    // One page exact, one empty: precision over the page that gave text, recall over both.
    assert_eq!(report["precision"], 1.0);
    assert_eq!(report["recall"], 0.5);
    let written: Value = serde_json::from_slice(&std::fs::read(&predictions).unwrap()).unwrap();
    assert_eq!(written["sporthal"]["articleBody"], body);
    assert_eq!(written["menu"]["articleBody"], "");
    assert!(!db.exists(), "the evaluation does not touch the store");
}

/// `--source` names the outlet of every article read, over the outlet a feed names.
#[test]
fn source_flag_wins_over_the_feed_title() {
    let tmp = tempfile::tempdir().unwrap();
    let feed = tmp.path().join("regio.xml");
    std::fs::write(
        &feed,
        "<rss version=\"2.0\"><channel><title>Omroep Gelderveen - Regio</title><link>https://gelderveen.example/</link>\
         <item><guid>gv-1</guid><title>Brug over de IJssel weer open</title><link>https://gelderveen.example/regio/1</link>\
         <description>De brug bij Olst is na twee weken onderhoud weer open voor het verkeer.</description></item></channel></rss>",
    )
    .unwrap();
    let with_flag = tmp.path().join("a.db");
    assert!(run(&with_flag, &["ingest", feed.to_str().unwrap(), "--source", "NOS", "-q"]).status.success());
    let listed = json_of(&run(&with_flag, &["articles", "--json"]));
    assert_eq!(listed[0]["source"], "NOS", "{listed}");
    // Without the flag, the feed's title names the outlet, its section apart.
    let without = tmp.path().join("b.db");
    assert!(run(&without, &["ingest", feed.to_str().unwrap(), "-q"]).status.success());
    let listed = json_of(&run(&without, &["articles", "--json"]));
    assert_eq!(listed[0]["source"], "Omroep Gelderveen", "{listed}");
}

/// An RSS 2.0 feed of one outlet with one item (the project's own text).
fn one_item_feed(outlet: &str, link: &str, date: &str, title: &str, text: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>\n\
         <title>{outlet}</title><link>https://{}/</link><language>nl</language>\n\
         <item><title>{title}</title><link>{link}</link><guid isPermaLink=\"false\">4994612</guid>\n\
         <pubDate>{date}</pubDate><description><![CDATA[{text}]]></description></item>\n\
         </channel></rss>\n",
        link.split('/').nth(2).unwrap()
    )
}

#[test]
fn a_revised_feed_item_becomes_version_two_and_another_outlets_same_guid_is_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("s.db");
    let write = |name: &str, body: String| {
        let path = tmp.path().join(name);
        std::fs::write(&path, body).unwrap();
        path.to_str().unwrap().to_string()
    };
    let link = "https://omroepnoord.example/nieuws/4994612";
    let first = write(
        "noord-1.rss",
        one_item_feed(
            "Omroep Noord",
            link,
            "Sat, 11 Oct 2025 14:20:00 +0000",
            "Honderden strijders verlaten Busayra",
            "<p>Volgens de coalitie hebben zo'n 250 IS-strijders en 3500 familieleden de stad Busayra \
             verlaten in een konvooi van vijftig vrachtwagens.</p><p>Woordvoerder Ryan Dillon zei: \
             \"Het konvooi wordt vanuit de lucht gevolgd.\"</p>",
        ),
    );
    let revised = write(
        "noord-2.rss",
        one_item_feed(
            "Omroep Noord",
            link,
            "Sun, 12 Oct 2025 09:05:00 +0000",
            "Meer strijders dan gemeld verlaten Busayra",
            "<p>Volgens de coalitie hebben zo'n 300 IS-strijders en 4000 familieleden de stad Busayra \
             verlaten in een konvooi van vijftig vrachtwagens.</p><p>Woordvoerder Ryan Dillon zei: \
             \"Het konvooi wordt vanuit de lucht gevolgd.\"</p>",
        ),
    );
    let other = write(
        "zuid.rss",
        one_item_feed(
            "Dagblad Zuid",
            "https://dagbladzuid.example/regio/4994612",
            "Sat, 11 Oct 2025 16:00:00 +0000",
            "Dijk bij Venlo wordt versterkt",
            "<p>Het waterschap versterkt de komende twee jaar de dijk langs de Maas bij Venlo over een \
             lengte van drie kilometer.</p>",
        ),
    );

    // Two outlets number their item 4994612: both are stored, each under its own id.
    let o = run(&db, &["ingest", &first, &other, "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(json_of(&o)["ingested"], 2, "{}", stdout(&o));
    assert_eq!(stored_ids(&db), ["4994612@dagblad-zuid", "4994612@omroep-noord"]);

    // The revised item: a new version, counted apart from duplicates.
    let o = run(&db, &["ingest", &revised]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("ingested 0 articles, 0 duplicates, 1 revised, 0 failed"),
        "{}",
        stdout(&o)
    );
    let rec = json_of(&run(&db, &["article", "4994612@omroep-noord", "--json"]));
    assert_eq!(rec["version"], 2);
    assert_eq!(rec["title"], "Meer strijders dan gemeld verlaten Busayra");
    assert_eq!(rec["published"], "2025-10-12T09:05:00Z");
    let versions = rec["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0]["title"], "Honderden strijders verlaten Busayra");
    assert_eq!(versions[1]["changes"].as_array().unwrap().len(), 2, "{rec}");
    let shown = stdout(&run(&db, &["article", "4994612@omroep-noord"]));
    assert!(shown.contains("version    2 of 2"), "{shown}");
    assert!(shown.contains("zo'n 250 → zo'n 300 IS-strijders"), "{shown}");
    assert!(shown.contains("3500 → 4000 familieleden"), "{shown}");
    // The dossier says what changed and when.
    let story = rec["story"].as_i64().unwrap().to_string();
    let md = stdout(&run(&db, &["story", &story, "--markdown"]));
    assert!(
        md.contains("revised: version 2, revised from the version of 2025-10-11T14:20:00Z: zo'n 250 → zo'n 300 IS-strijders; 3500 → 4000 familieleden; headline was “Honderden strijders verlaten Busayra”"),
        "{md}"
    );
    let text = stdout(&run(&db, &["story", &story]));
    assert!(text.contains("revised: version 2"), "{text}");

    // Everything again, the old version too: nothing changes.
    let before = (stored_ids(&db), stdout(&run(&db, &["article", "4994612@omroep-noord", "--json"])));
    let o = run(&db, &["ingest", &first, &revised, &other, "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report = json_of(&o);
    assert_eq!(
        (report["ingested"].as_u64(), report["revised"].as_u64(), report["duplicates"].as_u64()),
        (Some(0), Some(0), Some(3)),
        "{report}"
    );
    assert_eq!(report["already_stored"], 3, "found before they were analysed: {report}");
    assert_eq!((stored_ids(&db), stdout(&run(&db, &["article", "4994612@omroep-noord", "--json"]))), before);
}

/// Splits one CSV line into fields (quoted fields may hold commas and doubled quotes).
fn csv_fields(line: &str) -> Vec<String> {
    let (mut fields, mut field, mut quoted, mut chars) =
        (Vec::new(), String::new(), false, line.chars().peekable());
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(std::mem::take(&mut field)),
            (c, _) => field.push(c),
        }
    }
    fields.push(field);
    fields
}

/// A dossier travels: in Markdown every report and every quote links to its article, and
/// `--csv` gives one row per figure value with its disagreement, outlet, date, address and
/// sentence.
#[test]
fn story_markdown_links_every_report_and_csv_lists_every_figure_value() {
    let demo = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../demo"));
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("demo.db");
    assert!(run(&db, &["ingest", demo.to_str().unwrap(), "-q"]).status.success());
    let stories = json_of(&run(&db, &["stories", "--min-articles", "3", "--json"]));
    let mut checked_conflict = false;
    for s in stories.as_array().unwrap() {
        let id = s["id"].as_i64().unwrap().to_string();
        let dossier = json_of(&run(&db, &["story", &id, "--json"]));
        let reports = dossier["articles"].as_array().unwrap();
        let markdown = stdout(&run(&db, &["story", &id, "--markdown"]));
        for r in reports {
            if let Some(url) = r["url"].as_str() {
                assert!(markdown.contains(&format!("](<{url}>)")), "story {id}: no link to {url}");
            }
        }
        // Every quote names each report that carries it as a link, when the report has an
        // address.
        for q in dossier["quotes"].as_array().unwrap() {
            let text = q["text"].as_str().unwrap();
            // The same words may stand under two speakers: one line per speaker.
            let lines: Vec<&str> =
                markdown.lines().filter(|l| l.starts_with(&format!("- “{text}”"))).collect();
            if lines.is_empty() {
                continue; // words Markdown escapes
            }
            for c in q["articles"].as_array().unwrap() {
                let report = reports.iter().find(|r| r["id"] == c["id"]).unwrap();
                if let Some(url) = report["url"].as_str() {
                    let link = format!("](<{url}>)");
                    assert!(lines.iter().any(|l| l.contains(&link)), "story {id}: {lines:?} lack {url}");
                }
            }
        }
        let out = run(&db, &["story", &id, "--csv"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let csv = stdout(&out);
        let mut lines = csv.lines();
        let header = csv_fields(lines.next().unwrap());
        assert_eq!(header.len(), 14);
        let values: usize = dossier["figures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["values"].as_array().unwrap().len())
            .sum();
        let rows: Vec<Vec<String>> = lines.map(csv_fields).collect();
        assert_eq!(rows.len(), values, "story {id}: one row per figure value");
        for row in &rows {
            assert_eq!(row.len(), header.len(), "{row:?}");
            let report = reports.iter().find(|r| r["id"] == row[11].as_str()).expect("the row's article");
            assert_eq!(row[12], report["url"].as_str().unwrap_or(""), "{row:?}");
            assert!(!row[13].is_empty(), "a sentence: {row:?}");
        }
        // Each value of a conflict is marked so on its row.
        for d in dossier["discrepancies"].as_array().unwrap().iter().filter(|d| d["kind"] == "conflict") {
            for v in d["values"].as_array().unwrap() {
                let row = rows
                    .iter()
                    .find(|r| {
                        r[1] == d["subject"].as_str().unwrap()
                            && r[11] == v["article"].as_str().unwrap()
                            && r[3].parse::<f64>().ok() == v["value"].as_f64()
                    })
                    .expect("a row for the value");
                assert_eq!(row[2], "conflict", "{row:?}");
                checked_conflict = true;
            }
        }
    }
    assert!(checked_conflict, "the demo has a story whose figures conflict");
}

/// `storyline search` finds articles by their words with the API's filters, shows each hit's
/// story and marks the matched words.
#[test]
fn search_finds_articles_with_filters_and_marks_the_matches() {
    let demo = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../demo"));
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("demo.db");
    assert!(run(&db, &["ingest", demo.to_str().unwrap(), "-q"]).status.success());
    let found = json_of(&run(&db, &["search", "Brinkhorst", "--json"]));
    let hits = found["hits"].as_array().unwrap();
    assert!(hits.len() >= 3, "{found}");
    assert!(hits.iter().all(|h| h["story"].is_i64()), "{found}");
    // Every hit of a search on one outlet is that outlet's.
    let outlet = hits[0]["source"].as_str().unwrap().to_string();
    let narrowed =
        json_of(&run(&db, &["search", "Brinkhorst", "--source", &outlet.to_lowercase(), "--json"]));
    let narrowed = narrowed["hits"].as_array().unwrap();
    assert!(!narrowed.is_empty() && narrowed.len() <= hits.len());
    assert!(narrowed.iter().all(|h| h["source"] == outlet.as_str()));
    // Text output marks the matched word and names the story.
    let text = stdout(&run(&db, &["search", "Brinkhorst", "--limit", "2"]));
    assert!(text.contains("[Brinkhorst]"), "{text}");
    assert!(text.contains("story "), "{text}");
    // Nothing found is no error.
    let none = run(&db, &["search", "zzqxv"]);
    assert!(none.status.success());
    assert!(stdout(&none).contains("no articles match"));
    // A query is required.
    assert_eq!(run(&db, &["search"]).status.code(), Some(2));
}

/// The undated are shown as such and reachable by a filter of their own.
#[test]
fn undated_articles_have_a_filter_of_their_own() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("twee.jsonl");
    std::fs::write(
        &file,
        "{\"id\":\"m1\",\"published\":\"2025-03-02\",\"title\":\"Dijk bij Tiel versterkt\",\"text\":\"Het waterschap heeft de dijk bij Tiel over twee kilometer versterkt.\"}\n\
         {\"id\":\"m2\",\"title\":\"Veerpont vaart weer\",\"text\":\"De veerpont tussen Tiel en Wamel vaart weer na een storing aan de motor.\"}\n",
    )
    .unwrap();
    let db = tmp.path().join("s.db");
    assert!(run(&db, &["ingest", file.to_str().unwrap(), "-q"]).status.success());
    let undated = json_of(&run(&db, &["articles", "--undated", "--json"]));
    let ids: Vec<&str> = undated.as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["m2"]);
    // A date range never finds them; asking for both is a usage error.
    let since = json_of(&run(&db, &["articles", "--since", "2000-01-01", "--json"]));
    assert_eq!(since.as_array().unwrap().len(), 1);
    assert_eq!(run(&db, &["articles", "--undated", "--since", "2025-01"]).status.code(), Some(2));
    // The listing says "-" for an undated article rather than a date.
    let text = stdout(&run(&db, &["articles", "--undated"]));
    assert!(text.lines().any(|l| l.starts_with("m2") && l.contains("  -  ")), "{text}");
}

/// Two stories of two reports (the project's own text): a convoy whose reports disagree on the
/// number of fighters, and a flood whose second report agrees with the first.
const TWO_STORIES: &str = concat!(
    r#"{"id":"k1","source":"NPB","published":"2025-10-11T14:20:00Z","title":"Konvooi met strijders verlaat Busayra","text":"Een konvooi met 275 IS-strijders heeft zaterdag de stad Busayra verlaten, meldt de coalitie. Volgens woordvoerder Ryan Dillon gaat het om een lokale afspraak tussen stamleiders en de strijders. Het konvooi wordt vanuit de lucht gevolgd."}"#,
    "\n",
    r#"{"id":"f1","source":"NPB","published":"2025-10-12T09:00:00Z","title":"Noodpompen bij Roermond blijven draaien","text":"Het waterschap Limburg heeft zaterdagavond besloten de noodpompen bij Roermond langer te laten draaien. Volgens een woordvoerder staat het water in de Maas nog altijd ruim een meter boven het normale peil. In totaal zijn sinds vrijdag ongeveer twaalfhonderd mensen geëvacueerd uit de wijken langs de rivier."}"#,
    "\n",
    r#"{"id":"k2","source":"De Dagkoerier","published":"2025-10-12T08:00:00Z","title":"Konvooi met strijders uit Busayra vertrokken","text":"Zo'n 250 IS-strijders hebben de stad Busayra verlaten in een konvooi van vijftig vrachtwagens, bevestigt de coalitie. Woordvoerder Ryan Dillon spreekt van een lokale afspraak. Het konvooi wordt vanuit de lucht gevolgd."}"#,
    "\n",
    r#"{"id":"f2","source":"De Dagkoerier","published":"2025-10-12T11:00:00Z","title":"Noodpompen bij Roermond blijven draaien","text":"Het waterschap Limburg heeft zaterdag besloten de noodpompen bij Roermond langer te laten draaien. Volgens een woordvoerder staat het water in de Maas nog altijd ruim een meter boven het normale peil. In totaal zijn sinds vrijdag ongeveer twaalfhonderd mensen geëvacueerd uit de wijken langs de rivier."}"#,
    "\n",
);

/// `stories` marks the stories whose reports' figures disagree and filters on it both ways,
/// as the dossier has it.
#[test]
fn stories_with_discrepancies_are_marked_and_filtered() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("twee-verhalen.jsonl");
    std::fs::write(&file, TWO_STORIES).unwrap();
    let db = tmp.path().join("s.db");
    let o = run(&db, &["ingest", file.to_str().unwrap(), "-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let all = json_of(&run(&db, &["stories", "--json"]));
    let flags: Vec<(String, bool)> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["title"].as_str().unwrap().to_string(), s["discrepancies"].as_bool().unwrap()))
        .collect();
    assert_eq!(
        flags,
        [
            ("Noodpompen bij Roermond blijven draaien".to_string(), false),
            ("Konvooi met strijders verlaat Busayra".to_string(), true)
        ],
        "{all}"
    );
    let ids = |args: &[&str]| -> Vec<i64> {
        let o = run(&db, args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        json_of(&o).as_array().unwrap().iter().map(|s| s["id"].as_i64().unwrap()).collect()
    };
    let (flood, convoy) = (all[0]["id"].as_i64().unwrap(), all[1]["id"].as_i64().unwrap());
    assert_eq!(ids(&["stories", "--discrepancies", "--json"]), [convoy]);
    assert_eq!(ids(&["stories", "--no-discrepancies", "--json"]), [flood]);
    assert_eq!(ids(&["stories", "--discrepancies", "--source", "de dagkoerier", "--json"]), [convoy]);
    assert!(ids(&["stories", "--discrepancies", "--min-articles", "3", "--json"]).is_empty());
    // The dossier agrees.
    let dossier = json_of(&run(&db, &["story", &convoy.to_string(), "--json"]));
    assert_eq!(dossier["discrepancies"].as_array().unwrap().len(), 1, "{dossier}");
    let dossier = json_of(&run(&db, &["story", &flood.to_string(), "--json"]));
    assert!(dossier["discrepancies"].as_array().unwrap().is_empty(), "{dossier}");
    // The text listing marks the story.
    let text = stdout(&run(&db, &["stories"]));
    let line = |title: &str| {
        text.lines().find(|l| l.contains(title)).unwrap_or_else(|| panic!("{text}")).to_string()
    };
    assert!(line("Konvooi met strijders").ends_with("[discrepancies]"), "{text}");
    assert!(!line("Noodpompen bij Roermond").contains("[discrepancies]"), "{text}");
    // Both at once is a usage error.
    assert_eq!(run(&db, &["stories", "--discrepancies", "--no-discrepancies"]).status.code(), Some(2));
    // The seeds' one story disagrees on the fighters (275 vs about 250).
    if let Some(seeds) = seeds() {
        let db = tmp.path().join("seeds.db");
        assert!(run(&db, &["ingest", seeds.to_str().unwrap(), "-q"]).status.success());
        let listed = json_of(&run(&db, &["stories", "--discrepancies", "--json"]));
        assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
        assert_eq!(listed[0]["articles"], 2);
        assert!(json_of(&run(&db, &["stories", "--no-discrepancies", "--json"]))
            .as_array()
            .unwrap()
            .is_empty());
    }
}

/// `--tz` shows times in the user's zone (with summer time), in text and Markdown; JSON keeps
/// UTC; an unknown zone is a usage error naming it.
/// Five reports of three events, the project's own text, as JSON Lines.
const THREE_EVENTS: &str = concat!(
    r#"{"id":"brug-1","source":"Dagblad Oost","title":"Brug over de IJssel bij Zwolle dicht","text":"De brug over de IJssel bij Zwolle is vanaf maandag drie weken dicht voor onderhoud. Rijkswaterstaat leidt het verkeer om via Kampen.","published":"2025-11-03T07:00:00Z"}"#,
    "\n",
    r#"{"id":"brug-2","source":"Kampen Nu","title":"IJsselbrug Zwolle drie weken dicht","text":"Rijkswaterstaat sluit de IJsselbrug bij Zwolle maandag voor drie weken onderhoud. Het verkeer wordt omgeleid via Kampen.","published":"2025-11-03T09:00:00Z"}"#,
    "\n",
    r#"{"id":"brand-1","source":"Dagblad Oost","title":"Brand in loods in Deventer","text":"In een loods aan de haven van Deventer is zondagnacht een grote brand uitgebroken. De brandweer zette vier wagens in; niemand raakte gewond.","published":"2025-11-02T23:30:00Z"}"#,
    "\n",
    r#"{"id":"brand-2","source":"Kampen Nu","title":"Loods in Deventer afgebrand","text":"Een loods in de haven van Deventer is zondagnacht afgebrand. Volgens de brandweer raakte niemand gewond.","published":"2025-11-03T06:00:00Z"}"#,
    "\n",
    r#"{"id":"raad-1","source":"Dagblad Oost","title":"Raad van Hardenberg kiest nieuwe wethouder","text":"De gemeenteraad van Hardenberg heeft dinsdag Ineke Vos gekozen tot wethouder van financien.","published":"2025-11-04T20:00:00Z"}"#,
    "\n"
);

/// Every story as the sorted ids of its reports.
fn story_groups(db: &Path) -> Vec<Vec<String>> {
    let mut groups: Vec<Vec<String>> = json_of(&run(db, &["stories", "--json"]))
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let d = json_of(&run(db, &["story", &s["id"].to_string(), "--json"]));
            let mut ids: Vec<String> = d["articles"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["id"].as_str().unwrap().to_string())
                .collect();
            ids.sort();
            ids
        })
        .collect();
    groups.sort();
    groups
}

fn story_number_of(db: &Path, id: &str) -> String {
    json_of(&run(db, &["article", id, "--json"]))["story"].to_string()
}

#[test]
fn corrections_from_the_command_line_are_kept_shown_undone_and_hold_through_recluster() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let corpus = dir.path().join("c.jsonl");
    std::fs::write(&corpus, THREE_EVENTS).unwrap();
    assert!(run(&db, &["ingest", corpus.to_str().unwrap(), "--quiet"]).status.success());
    let correct = |args: &[&str]| {
        bin().arg("--db").arg(&db).arg("correct").args(args).env_remove("STORYLINE_AUTHOR").output().unwrap()
    };

    // Merge the fire into the bridge, as an editor named Anna.
    let (bridge, fire) =
        (story_number_of(&db, "brug-1@dagblad-oost"), story_number_of(&db, "brand-1@dagblad-oost"));
    assert_ne!(bridge, fire);
    let o = correct(&["merge", &fire, "--into", &bridge, "--as", "Anna"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("correction 1: merged story"), "{}", stdout(&o));
    assert_eq!(story_number_of(&db, "brand-2@kampen-nu"), bridge);
    let text = stdout(&run(&db, &["story", &bridge]));
    assert!(text.contains("History: corrections by editors"), "{text}");
    assert!(text.contains("Anna: merged story"), "{text}");
    assert!(stdout(&run(&db, &["story", &bridge, "--markdown"])).contains("\n## History\n"));

    // Undone: the fire is a story of its own again; an undo is not undone twice.
    let o = correct(&["undo", "1", "--as", "Bram"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_ne!(story_number_of(&db, "brand-1@dagblad-oost"), story_number_of(&db, "brug-1@dagblad-oost"));
    let o = correct(&["undo", "1", "--as", "Bram"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("undone already"), "{}", stderr(&o));

    // Split one bridge report off (by a prefix of its id); keep a fire report out of its story.
    let bridge = story_number_of(&db, "brug-1@dagblad-oost");
    let o = correct(&["split", &bridge, "brug-2", "--as", "Anna"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = correct(&["keep-out", "brand-2@kampen-nu", "--as", "Anna", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(json_of(&o)["detail"]["action"], "keep_out");
    // Set a date at day precision and an outlet.
    let o = correct(&[
        "set",
        "raad-1",
        "--published",
        "2025-11-05",
        "--source",
        "Vechtdal Nieuws",
        "--as",
        "Cor",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let raad = json_of(&run(&db, &["article", "raad-1@dagblad-oost", "--json"]));
    assert_eq!(
        (raad["published"].as_str(), raad["source"].as_str()),
        (Some("2025-11-05"), Some("Vechtdal Nieuws"))
    );

    let corrected = story_groups(&db);
    for alone in ["brug-1@dagblad-oost", "brug-2@kampen-nu", "brand-1@dagblad-oost", "brand-2@kampen-nu"] {
        assert!(corrected.contains(&vec![alone.to_string()]), "{alone} stands alone: {corrected:?}");
    }
    // Recluster and a re-ingest of everything keep it all.
    assert!(run(&db, &["recluster"]).status.success());
    assert_eq!(story_groups(&db), corrected, "after recluster");
    assert!(run(&db, &["ingest", corpus.to_str().unwrap(), "--quiet"]).status.success());
    assert_eq!(story_groups(&db), corrected, "after a re-ingest");
    let raad = json_of(&run(&db, &["article", "raad-1@dagblad-oost", "--json"]));
    assert_eq!(raad["source"], "Vechtdal Nieuws");

    // The list, an article's history, and the labelled pairs.
    let all = json_of(&run(&db, &["corrections", "--json"]));
    let actions: Vec<&str> =
        all.as_array().unwrap().iter().map(|e| e["detail"]["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["set", "keep_out", "split", "undo", "merge"]);
    let of_raad = json_of(&run(&db, &["corrections", "--article", "raad-1", "--json"]));
    assert_eq!(of_raad.as_array().unwrap().len(), 1);
    let pairs = stdout(&run(&db, &["corrections", "--pairs"]));
    let pairs: Vec<Value> = pairs.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert!(
        pairs.iter().any(|p| p["a"] == "brug-2@kampen-nu"
            && p["b"] == "brug-1@dagblad-oost"
            && p["same_story"] == false),
        "{pairs:?}"
    );
    assert!(pairs.iter().any(|p| p["a"] == "brand-2@kampen-nu" && p["same_story"] == false), "{pairs:?}");
    assert!(pairs.iter().all(|p| p["correction"] != 5), "an undone correction gives no pairs: {pairs:?}");

    // What cannot be done is a usage error that says why, and changes nothing.
    for (args, why) in [
        (&["merge", "999", "--into", "1", "--as", "Anna"][..], "no story 999"),
        (&["set", "raad-1", "--as", "Anna"], "nothing to set"),
        (&["pin", "nope", "--as", "Anna"], "no article `nope`"),
        (&["set", "raad-1", "--published", "gisteren", "--as", "Anna"], "gisteren"),
    ] {
        let o = correct(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(why), "{args:?}: {}", stderr(&o));
    }
    let o = bin()
        .arg("--db")
        .arg(&db)
        .args(["correct", "pin", "raad-1"])
        .env_remove("STORYLINE_AUTHOR")
        .env_remove("USER")
        .env_remove("LOGNAME")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--as NAME"), "{}", stderr(&o));
    assert_eq!(story_groups(&db), corrected);
}

#[test]
fn the_write_ahead_log_is_folded_back_when_an_ingest_ends() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let corpus = dir.path().join("c.jsonl");
    std::fs::write(&corpus, THREE_EVENTS).unwrap();
    assert!(run(&db, &["ingest", corpus.to_str().unwrap(), "--quiet"]).status.success());
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("s.db"))
        .collect();
    assert_eq!(left, ["s.db"], "the store is one file again when its last writer exits");
    assert_eq!(json_of(&run(&db, &["stories", "--json"])).as_array().unwrap().len(), 3);
}

#[test]
fn times_are_shown_in_the_zone_asked_for() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("twee.jsonl");
    std::fs::write(
        &file,
        "{\"id\":\"z1\",\"published\":\"2025-07-01T09:30:00Z\",\"title\":\"Zomer\",\"text\":\"De kade in Tiel is in juli weer open voor fietsers.\"}\n\
         {\"id\":\"z2\",\"published\":\"2025-12-01T09:30:00Z\",\"title\":\"Winter\",\"text\":\"De kade in Tiel gaat in december dicht voor onderhoud.\"}\n\
         {\"id\":\"z3\",\"published\":\"2025-12-02\",\"title\":\"Een dag\",\"text\":\"Een bericht met alleen een datum over de kade in Tiel.\"}\n",
    )
    .unwrap();
    let db = tmp.path().join("s.db");
    assert!(run(&db, &["ingest", file.to_str().unwrap(), "-q"]).status.success());
    let local = stdout(&run(&db, &["articles", "--tz", "Europe/Amsterdam"]));
    assert!(local.lines().any(|l| l.starts_with("z1") && l.contains("2025-07-01 11:30")), "{local}");
    assert!(local.lines().any(|l| l.starts_with("z2") && l.contains("2025-12-01 10:30")), "{local}");
    // A day has no time of day to move.
    assert!(local.lines().any(|l| l.starts_with("z3") && l.contains("2025-12-02 ")), "{local}");
    let utc = stdout(&run(&db, &["articles"]));
    assert!(utc.lines().any(|l| l.starts_with("z1") && l.contains("2025-07-01 09:30")), "{utc}");
    let json = json_of(&run(&db, &["article", "z1", "--json", "--tz", "Europe/Amsterdam"]));
    assert_eq!(json["published"], "2025-07-01T09:30:00Z");
    let bad = run(&db, &["articles", "--tz", "Europa/Tiel"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("Europa/Tiel"), "{}", stderr(&bad));
}

/// The commands on a PostgreSQL store (a scratch database on the server `STORYLINE_PG_URL`
/// names, or on a throwaway cluster; skipped loudly without one, failing under `CI`).
#[cfg(feature = "postgres")]
mod postgres {
    use super::*;
    use storyline_store::postgres::scratch;

    fn database() -> Option<String> {
        scratch::server().map(scratch::Server::database)
    }

    fn on(db: &str, args: &[&str]) -> Output {
        bin().args(["--db", db]).args(args).output().expect("binary runs")
    }

    fn synth(path: &Path, articles: usize, stories: usize) {
        use storyline_core::synth::{generate, SynthConfig};
        let cfg = SynthConfig { articles, stories, mean_text_bytes: 1_200, ..SynthConfig::default() };
        let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
        for a in generate(&cfg) {
            writeln!(f, "{}", a.to_json_line()).unwrap();
        }
    }

    /// A report's timings and memory left out: what must agree between two runs.
    fn counts(mut report: Value) -> Value {
        for k in ["elapsed_s", "articles_per_s", "store_s", "peak_rss_kib", "stages"] {
            report.as_object_mut().unwrap().remove(k);
        }
        report
    }

    #[test]
    fn every_command_answers_on_postgres_as_on_sqlite() {
        let Some(pg) = database() else { return };
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("c.jsonl");
        synth(&corpus, 400, 40);
        let lite = dir.path().join("s.db");
        let lite = lite.to_str().unwrap();
        let both = |args: &[&str]| -> (Output, Output) { (on(&pg, args), on(lite, args)) };
        let (a, b) = both(&["ingest", corpus.to_str().unwrap(), "--json", "--quiet"]);
        assert!(a.status.success(), "{}", stderr(&a));
        assert_eq!(counts(json_of(&a)), counts(json_of(&b)));
        for args in [
            &["articles", "--json", "--limit", "500"][..],
            &["stories", "--json"],
            &["search", "gemeente", "--json"],
            &["search", "\"de raad\"", "--json", "--limit", "5"],
            &["check", "--json"],
        ] {
            let (a, b) = both(args);
            assert!(a.status.success(), "{args:?}: {}", stderr(&a));
            let (x, y) = (json_of(&a), json_of(&b));
            if args[0] == "search" {
                // Both find the same articles; the order may differ where the rankings do.
                let ids = |v: &Value| {
                    let mut ids: Vec<String> =
                        v["hits"].as_array().unwrap().iter().map(|h| h["id"].to_string()).collect();
                    ids.sort();
                    ids
                };
                assert_eq!(x["total"], y["total"], "{args:?}");
                if x["total"].as_u64().unwrap() <= 10 {
                    assert_eq!(ids(&x), ids(&y), "{args:?}");
                }
            } else {
                assert_eq!(x, y, "{args:?}");
            }
        }
        let stories = json_of(&on(&pg, &["stories", "--json"]));
        let id = stories[0]["id"].to_string();
        let (a, b) = both(&["story", &id, "--json"]);
        assert!(a.status.success(), "{}", stderr(&a));
        assert_eq!(json_of(&a), json_of(&b));
        let (a, b) = both(&["recluster", "--json"]);
        assert!(a.status.success(), "{}", stderr(&a));
        assert_eq!(json_of(&a)["stories"], json_of(&b)["stories"]);
        assert_eq!(json_of(&on(&pg, &["stories", "--json"])), json_of(&on(lite, &["stories", "--json"])));
        // Ingesting again changes nothing.
        let again = json_of(&on(&pg, &["ingest", corpus.to_str().unwrap(), "--json", "--quiet"]));
        assert_eq!(again["ingested"], 0);
        assert_eq!(again["duplicates"], 400);
    }

    #[test]
    fn a_record_with_nul_characters_goes_into_postgres_like_any_other() {
        let Some(pg) = database() else { return };
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("nul.jsonl");
        std::fs::write(
            &file,
            concat!(
                r#"{"id":"n1","title":"Nul\u0000teken","text":"Een tekst met een\u0000nulteken, over de raad van Ede.","source":"NPB"}"#,
                "\n",
                r#"{"id":"n2","title":"Gewoon","text":"De gemeenteraad van Ede vergaderde dinsdag over de begroting.","source":"NPB"}"#,
                "\n"
            ),
        )
        .unwrap();
        let o = on(&pg, &["ingest", file.to_str().unwrap(), "--json"]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(json_of(&o)["ingested"], 2);
        let a = json_of(&on(&pg, &["article", "n1@npb", "--json"]));
        assert_eq!(a["title"], "Nulteken");
    }

    #[test]
    fn four_writer_processes_over_overlapping_inputs_store_everything_once() {
        let Some(pg) = database() else { return };
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("all.jsonl");
        synth(&corpus, 2_000, 200);
        let lines: Vec<String> =
            std::fs::read_to_string(&corpus).unwrap().lines().map(String::from).collect();
        // Four files of 1,000 lines each, every line in two of them, each in another order.
        let parts: Vec<PathBuf> = (0..4)
            .map(|w| {
                let p = dir.path().join(format!("part{w}.jsonl"));
                let mut mine: Vec<&String> = (0..1_000).map(|k| &lines[(w * 500 + k) % 2_000]).collect();
                if w % 2 == 1 {
                    mine.reverse();
                }
                std::fs::write(&p, mine.iter().map(|l| format!("{l}\n")).collect::<String>()).unwrap();
                p
            })
            .collect();
        let children: Vec<_> = parts
            .iter()
            .map(|p| {
                bin()
                    .args(["--db", &pg, "ingest", p.to_str().unwrap(), "--json", "--quiet"])
                    .env("STORYLINE_BATCH_SIZE", "50")
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let mut ingested = 0;
        for child in children {
            let o = child.wait_with_output().unwrap();
            assert!(o.status.success(), "{}", stderr(&o));
            let r = json_of(&o);
            assert_eq!(r["failed"], 0, "{r}");
            assert_eq!(r["ingested"].as_u64().unwrap() + r["duplicates"].as_u64().unwrap(), 1_000, "{r}");
            ingested += r["ingested"].as_u64().unwrap();
        }
        assert_eq!(ingested, 2_000, "each article stored by exactly one writer");
        let mut client = ::postgres::Client::connect(&pg, ::postgres::NoTls).unwrap();
        let one = |client: &mut ::postgres::Client, sql: &str| -> i64 {
            client.query_one(sql, &[]).unwrap().get(0)
        };
        assert_eq!(one(&mut client, "SELECT COUNT(*) FROM articles"), 2_000);
        assert_eq!(one(&mut client, "SELECT COUNT(DISTINCT content_hash) FROM articles"), 2_000);
        assert_eq!(
            one(&mut client, "SELECT COUNT(*) FROM articles WHERE story IS NULL"),
            0,
            "every article in a story"
        );
        assert_eq!(
            one(&mut client, "SELECT COUNT(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM stories s WHERE s.id = a.story)"),
            0,
            "no article in a story that was merged away"
        );
        assert_eq!(
            one(
                &mut client,
                "SELECT COUNT(*) FROM stories s WHERE s.articles <> (SELECT COUNT(*) FROM articles a WHERE a.story = s.id)"
            ),
            0,
            "every story's count is its articles"
        );
        assert_eq!(one(&mut client, "SELECT COUNT(*) FROM search_index"), 2_000);
    }

    #[test]
    fn a_killed_ingest_into_postgres_leaves_whole_batches_and_a_rerun_stores_the_rest() {
        let Some(pg) = database() else { return };
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("stream.jsonl");
        synth(&corpus, 6_000, 600);
        let mut child = bin()
            .args(["--db", &pg, "ingest", corpus.to_str().unwrap(), "--quiet"])
            .env("STORYLINE_BATCH_SIZE", "200")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut client = ::postgres::Client::connect(&pg, ::postgres::NoTls).unwrap();
        let count = |client: &mut ::postgres::Client| -> i64 {
            client.query_one("SELECT COUNT(*) FROM articles", &[]).map(|r| r.get(0)).unwrap_or(0)
        };
        // Wait (bounded) until some batches are committed, then kill without warning.
        let started = std::time::Instant::now();
        while started.elapsed() < std::time::Duration::from_secs(60) {
            if count(&mut client) >= 600 || child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let _ = child.kill();
        let _ = child.wait();
        let partial = count(&mut client);
        eprintln!("killed after {partial} of 6000 articles were stored");
        assert_eq!(partial % 200, 0, "only whole batches are stored: {partial}");
        let check = json_of(&on(&pg, &["check", "--json"]));
        assert_eq!(check["problems"].as_array().unwrap().len(), 0, "{check}");
        let o = on(&pg, &["ingest", corpus.to_str().unwrap(), "--json", "--quiet"]);
        assert!(o.status.success(), "{}", stderr(&o));
        let report = json_of(&o);
        assert_eq!(report["duplicates"].as_i64().unwrap(), partial, "{report}");
        assert_eq!(count(&mut client), 6_000);
    }

    #[test]
    fn serve_on_postgres_answers_and_stops_cleanly() {
        let Some(pg) = database() else { return };
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.txt");
        std::fs::write(
            &file,
            "Brand in Zutphen\n\nIn de binnenstad van Zutphen woedde zondag een grote brand.",
        )
        .unwrap();
        assert!(on(&pg, &["ingest", file.to_str().unwrap()]).status.success());
        let mut child = bin()
            .args(["--db", &pg, "serve", "--addr", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        std::io::BufRead::read_line(&mut out, &mut line).unwrap();
        let url = line.split(" at ").nth(1).expect("the address is announced").trim().to_string();
        assert!(!line.contains("***") && line.contains("postgres://"), "{line}");
        let hostport = url.trim_start_matches("http://").trim_end_matches('/');
        let mut stream = std::net::TcpStream::connect(hostport).unwrap();
        stream.set_read_timeout(Some(std::time::Duration::from_secs(30))).unwrap();
        write!(stream, "GET /api/health HTTP/1.1\r\nHost: {hostport}\r\nConnection: close\r\n\r\n").unwrap();
        let mut response = String::new();
        std::io::Read::read_to_string(&mut stream, &mut response).unwrap();
        assert!(response.starts_with("HTTP/1.1 200"), "{response}");
        assert!(response.contains("\"articles\":1"), "{response}");
        // SIGTERM: the server stops, and dropping the store off its runtime does not panic.
        assert!(Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap().success());
        let o = child.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    }

    #[test]
    fn migrate_copies_a_sqlite_store_goes_on_where_it_stopped_and_verifies_the_counts() {
        let Some(pg) = database() else { return };
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("c.jsonl");
        synth(&corpus, 1_200, 120);
        let lines: Vec<String> =
            std::fs::read_to_string(&corpus).unwrap().lines().map(String::from).collect();
        let first = dir.path().join("first.jsonl");
        std::fs::write(&first, lines[..1_000].iter().map(|l| format!("{l}\n")).collect::<String>()).unwrap();
        // A revision (same address, changed text) and a sighting (same text, another outlet).
        let extra = dir.path().join("extra.jsonl");
        std::fs::write(
            &extra,
            concat!(
                r#"{"id":"r1","source":"Dagblad Oost","url":"https://oost.example/r1","title":"Brug dicht","text":"De brug over de IJssel bij Zwolle is dicht voor onderhoud.","published":"2025-11-01T08:00:00Z"}"#,
                "\n",
                r#"{"id":"r1","source":"Dagblad Oost","url":"https://oost.example/r1","title":"Brug dicht tot vrijdag","text":"De brug over de IJssel bij Zwolle is tot vrijdag dicht voor onderhoud.","published":"2025-11-01T10:00:00Z"}"#,
                "\n",
                r#"{"id":"k9","source":"Kampen Nu","url":"https://kampen.example/9","title":"Brug dicht tot vrijdag","text":"De brug over de IJssel bij Zwolle is tot vrijdag dicht voor onderhoud.","published":"2025-11-01T11:00:00Z"}"#,
                "\n"
            ),
        )
        .unwrap();
        let lite = dir.path().join("s.db");
        let lite = lite.to_str().unwrap();
        assert!(on(lite, &["ingest", first.to_str().unwrap(), extra.to_str().unwrap(), "--quiet"])
            .status
            .success());
        // An editor's correction goes along.
        let o = on(lite, &["correct", "pin", "r1@dagblad-oost", "--as", "Anna"]);
        assert!(o.status.success(), "{}", stderr(&o));
        let o = bin().args(["migrate", "--from", lite, "--to", &pg, "--json"]).output().unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        let report = json_of(&o);
        assert_eq!(report["copied"], 1_001, "{report}");
        assert_eq!(report["corrections"], 1, "{report}");
        assert_eq!(report["versions"], 1, "{report}");
        assert_eq!(report["sightings"], 1, "{report}");
        for args in [
            &["stories", "--json"][..],
            &["articles", "--json", "--limit", "2000"],
            &["article", "r1@dagblad-oost", "--json"],
            &["corrections", "--json"],
        ] {
            assert_eq!(json_of(&on(&pg, args)), json_of(&on(lite, args)), "{args:?}");
        }

        let found = json_of(&on(&pg, &["search", "IJssel", "--json"]));
        assert_eq!(found["total"], json_of(&on(lite, &["search", "IJssel", "--json"]))["total"]);
        // More articles in the source: a second run copies only those.
        let rest = dir.path().join("rest.jsonl");
        std::fs::write(&rest, lines[1_000..].iter().map(|l| format!("{l}\n")).collect::<String>()).unwrap();
        assert!(on(lite, &["ingest", rest.to_str().unwrap(), "--quiet"]).status.success());
        let report =
            json_of(&bin().args(["migrate", "--from", lite, "--to", &pg, "--json"]).output().unwrap());
        assert_eq!(report["copied"], 200, "{report}");
        assert_eq!(json_of(&on(&pg, &["stories", "--json"])), json_of(&on(lite, &["stories", "--json"])));
        // New articles on the server are numbered after the copied ones.
        let one = dir.path().join("one.txt");
        std::fs::write(&one, "Storm in Harlingen\n\nIn Harlingen waaide zaterdag een dak van een loods.")
            .unwrap();
        let o = on(&pg, &["ingest", one.to_str().unwrap(), "--json"]);
        assert_eq!(json_of(&o)["ingested"], 1, "{}", stderr(&o));
        // Corrections made on the server are numbered after the copied ones.
        let o = on(
            &pg,
            &[
                "correct",
                "set",
                "r1@dagblad-oost",
                "--source",
                "Dagblad Oost-Nederland",
                "--as",
                "Bram",
                "--json",
            ],
        );
        assert_eq!(json_of(&o)["id"], 2, "{}", stderr(&o));
        // Another store is not copied over this one.
        let other = dir.path().join("other.db");
        assert!(on(other.to_str().unwrap(), &["ingest", one.to_str().unwrap(), "--quiet"]).status.success());
        let o = bin().args(["migrate", "--from", other.to_str().unwrap(), "--to", &pg]).output().unwrap();
        assert_eq!(o.status.code(), Some(1));
        assert!(stderr(&o).contains("already holds other articles"), "{}", stderr(&o));
    }
}

/// A scripted HTTP/1.1 server on a loopback port, for the fetching tests: each path answers as
/// the test says (a document with validators, an error status, silence, an endless body), every
/// request is recorded, and it stops when dropped (or after five minutes, whatever happens).
mod loopback {
    use std::collections::HashMap;
    use std::io::{Read, Write};
    use std::net::{SocketAddr, TcpListener, TcpStream};
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};

    /// How a path answers.
    #[derive(Clone)]
    pub enum Reply {
        /// A document; 304 when the request's `If-None-Match` or `If-Modified-Since` matches.
        Doc { content_type: String, body: Vec<u8>, etag: Option<String>, last_modified: Option<String> },
        /// An error status with a short text body.
        Status(u16),
        /// Reads the request and never answers (until the server stops).
        Silent,
        /// Announces and streams a body of this many bytes for as long as the client reads.
        Endless(u64),
        /// A permanent redirect to this path.
        Redirect(String),
    }

    impl Reply {
        pub fn doc(content_type: &str, body: &str) -> Reply {
            Reply::Doc {
                content_type: content_type.into(),
                body: body.as_bytes().to_vec(),
                etag: None,
                last_modified: None,
            }
        }
        pub fn etag(self, tag: &str) -> Reply {
            match self {
                Reply::Doc { content_type, body, last_modified, .. } => {
                    Reply::Doc { content_type, body, etag: Some(format!("\"{tag}\"")), last_modified }
                }
                other => other,
            }
        }
        pub fn last_modified(self, date: &str) -> Reply {
            match self {
                Reply::Doc { content_type, body, etag, .. } => {
                    Reply::Doc { content_type, body, etag, last_modified: Some(date.into()) }
                }
                other => other,
            }
        }
    }

    /// A request as received: its path and its header fields (names lowercased).
    #[derive(Debug, Clone)]
    pub struct Seen {
        pub path: String,
        pub headers: Vec<(String, String)>,
    }

    impl Seen {
        pub fn header(&self, name: &str) -> Option<&str> {
            self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
        }
    }

    pub struct Server {
        addr: SocketAddr,
        routes: Arc<Mutex<HashMap<String, Reply>>>,
        seen: Arc<Mutex<Vec<Seen>>>,
        stop: Arc<AtomicBool>,
        thread: Option<std::thread::JoinHandle<()>>,
    }

    /// The longest the server, or one of its connections, lives.
    const LIFETIME: Duration = Duration::from_secs(300);

    impl Server {
        pub fn start() -> Server {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            listener.set_nonblocking(true).unwrap();
            let addr = listener.local_addr().unwrap();
            let routes: Arc<Mutex<HashMap<String, Reply>>> = Arc::default();
            let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
            let stop = Arc::new(AtomicBool::new(false));
            let (r, s, st) = (routes.clone(), seen.clone(), stop.clone());
            let thread = std::thread::spawn(move || {
                let started = Instant::now();
                while !st.load(Ordering::SeqCst) && started.elapsed() < LIFETIME {
                    match listener.accept() {
                        Ok((stream, _)) => {
                            let (r, s, st) = (r.clone(), s.clone(), st.clone());
                            std::thread::spawn(move || answer(stream, &r, &s, &st));
                        }
                        Err(_) => std::thread::sleep(Duration::from_millis(5)),
                    }
                }
            });
            Server { addr, routes, seen, stop, thread: Some(thread) }
        }

        pub fn url(&self, path: &str) -> String {
            format!("http://{}{path}", self.addr)
        }

        pub fn set(&self, path: &str, reply: Reply) {
            self.routes.lock().unwrap().insert(path.to_string(), reply);
        }

        /// The requests for `path` so far.
        pub fn seen(&self, path: &str) -> Vec<Seen> {
            self.seen.lock().unwrap().iter().filter(|s| s.path == path).cloned().collect()
        }
    }

    impl Drop for Server {
        fn drop(&mut self) {
            self.stop.store(true, Ordering::SeqCst);
            if let Some(t) = self.thread.take() {
                let _ = t.join();
            }
        }
    }

    fn answer(
        mut stream: TcpStream,
        routes: &Mutex<HashMap<String, Reply>>,
        seen: &Mutex<Vec<Seen>>,
        stop: &AtomicBool,
    ) {
        let _ = stream.set_nonblocking(false);
        let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
        let _ = stream.set_write_timeout(Some(Duration::from_secs(10)));
        let mut head = Vec::new();
        let mut buf = [0u8; 4096];
        while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 65_536 {
            match stream.read(&mut buf) {
                Ok(0) | Err(_) => return,
                Ok(n) => head.extend_from_slice(&buf[..n]),
            }
        }
        let text = String::from_utf8_lossy(&head).into_owned();
        let mut lines = text.split("\r\n");
        let path = lines.next().and_then(|l| l.split(' ').nth(1)).unwrap_or("/").to_string();
        let headers: Vec<(String, String)> = lines
            .take_while(|l| !l.is_empty())
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let request = Seen { path: path.clone(), headers };
        seen.lock().unwrap().push(request.clone());
        let reply = routes.lock().unwrap().get(&path).cloned();
        let send = |stream: &mut TcpStream, status: &str, fields: &[(&str, &str)], body: &[u8]| {
            let mut out =
                format!("HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n", body.len());
            for (n, v) in fields {
                out.push_str(&format!("{n}: {v}\r\n"));
            }
            out.push_str("\r\n");
            let _ = stream.write_all(out.as_bytes());
            let _ = stream.write_all(body);
        };
        match reply {
            None => send(&mut stream, "404 Not Found", &[("Content-Type", "text/plain")], b"niet gevonden"),
            Some(Reply::Redirect(to)) => {
                send(&mut stream, "301 Moved Permanently", &[("Location", to.as_str())], b"")
            }
            Some(Reply::Status(code)) => send(
                &mut stream,
                &format!("{code} Fout"),
                &[("Content-Type", "text/plain")],
                b"er ging iets mis",
            ),
            Some(Reply::Silent) => {
                let started = Instant::now();
                while !stop.load(Ordering::SeqCst) && started.elapsed() < LIFETIME {
                    std::thread::sleep(Duration::from_millis(20));
                }
            }
            Some(Reply::Endless(total)) => {
                let header = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: {total}\r\nConnection: close\r\n\r\n"
                );
                if stream.write_all(header.as_bytes()).is_err() {
                    return;
                }
                let mut chunk = b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>".to_vec();
                chunk.resize(64 * 1024, b' ');
                let mut sent = 0u64;
                while sent < total && !stop.load(Ordering::SeqCst) {
                    let n = chunk.len().min((total - sent) as usize);
                    // The client hangs up at its limit: the write fails and the answer ends.
                    if stream.write_all(&chunk[..n]).is_err() {
                        return;
                    }
                    sent += n as u64;
                    chunk.fill(b' ');
                }
            }
            Some(Reply::Doc { content_type, body, etag, last_modified }) => {
                let unchanged = etag.as_deref().is_some_and(|e| request.header("if-none-match") == Some(e))
                    || last_modified
                        .as_deref()
                        .is_some_and(|d| request.header("if-modified-since") == Some(d));
                let mut fields: Vec<(&str, &str)> = vec![("Content-Type", content_type.as_str())];
                if let Some(e) = &etag {
                    fields.push(("ETag", e));
                }
                if let Some(d) = &last_modified {
                    fields.push(("Last-Modified", d));
                }
                if unchanged {
                    send(&mut stream, "304 Not Modified", &fields[1..], b"");
                } else {
                    send(&mut stream, "200 OK", &fields, &body);
                }
            }
        }
    }
}

use loopback::{Reply, Server};

/// An RSS feed of Omroep Vechtdal with these items: (guid, title, text).
fn vechtdal_feed(items: &[(&str, &str, &str)]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>\n\
         <title>Omroep Vechtdal</title><link>https://vechtdal.example/</link><language>nl</language>\n",
    );
    for (i, (guid, title, text)) in items.iter().enumerate() {
        out.push_str(&format!(
            "<item><title>{title}</title><link>https://vechtdal.example/nieuws/{guid}</link>\
             <guid isPermaLink=\"false\">{guid}</guid><pubDate>Tue, 14 Oct 2025 0{}:00:00 +0200</pubDate>\
             <description><![CDATA[{text}]]></description></item>\n",
            8 + i.min(1)
        ));
    }
    out.push_str("</channel></rss>\n");
    out
}

const BRUG: (&str, &str, &str) = (
    "vd-101",
    "Brug bij Dalfsen drie weken dicht",
    "De brug over de Vecht bij Dalfsen is vanaf maandag drie weken dicht voor onderhoud, meldt de \
     provincie Overijssel. Fietsers kunnen in die tijd gratis de pont nemen.",
);
const RAAD: (&str, &str, &str) = (
    "vd-102",
    "Raad van Dalfsen wil uitleg over kosten Vechtbrug",
    "De gemeenteraad van Dalfsen wil opheldering over de kosten van het onderhoud aan de Vechtbrug. \
     Die vallen twee miljoen euro hoger uit dan begroot, schrijft het college aan de raad.",
);
const MARKT: (&str, &str, &str) = (
    "hv-7",
    "Weekmarkt Hardenberg verhuist naar het Stationsplein",
    "De weekmarkt van Hardenberg staat vanaf november op het Stationsplein. De marktkooplieden \
     stemden in met de verhuizing, zegt wethouder Anke de Boer.",
);

/// The watcher's status file, read as JSON.
fn status_of(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// The status of the source whose URL or path ends in `suffix`.
fn source<'a>(status: &'a Value, suffix: &str) -> &'a Value {
    status["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["source"].as_str().unwrap().ends_with(suffix))
        .unwrap_or_else(|| panic!("no source ending in {suffix}: {status}"))
}

#[test]
fn watch_stores_a_new_item_on_the_next_round_and_asks_whether_a_feed_changed() {
    let server = Server::start();
    server.set("/nieuws.xml", Reply::doc("application/rss+xml", &vechtdal_feed(&[BRUG])).etag("v1"));
    let markt = vechtdal_feed(&[MARKT]).replace("Omroep Vechtdal", "Hardenberg Vandaag");
    server.set("/markt.xml", Reply::doc("text/xml", &markt).last_modified("Tue, 14 Oct 2025 07:00:00 GMT"));
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("s.db");
    let list = tmp.path().join("bronnen.txt");
    std::fs::write(
        &list,
        format!(
            "# twee feeds\n{}  outlet=\"Omroep Vechtdal\"  every=15m\n{}\n",
            server.url("/nieuws.xml"),
            server.url("/markt.xml")
        ),
    )
    .unwrap();
    let watch = || run(&db, &["watch", list.to_str().unwrap(), "--once"]);
    let status_file = tmp.path().join("s.feeds.json");

    let o = watch();
    assert!(o.status.success(), "{}", stderr(&o));
    let st = status_of(&status_file);
    let nieuws = source(&st, "/nieuws.xml");
    assert_eq!(
        (nieuws["result"].as_str(), nieuws["http_status"].as_u64()),
        (Some("ok"), Some(200)),
        "{nieuws}"
    );
    assert_eq!(nieuws["new"], 1);
    assert_eq!(nieuws["etag"], "\"v1\"");
    assert_eq!(nieuws["outlet"], "Omroep Vechtdal");
    assert_eq!(nieuws["interval_s"], 900);
    assert_eq!(source(&st, "/markt.xml")["new"], 1);
    assert_eq!(stored_ids(&db).len(), 2);

    // A new item in the feed: stored on the next round, the one before found stored.
    server.set("/nieuws.xml", Reply::doc("application/rss+xml", &vechtdal_feed(&[RAAD, BRUG])).etag("v2"));
    let o = watch();
    assert!(o.status.success(), "{}", stderr(&o));
    let st = status_of(&status_file);
    let nieuws = source(&st, "/nieuws.xml");
    assert_eq!((nieuws["new"].as_u64(), nieuws["duplicates"].as_u64()), (Some(1), Some(1)), "{nieuws}");
    assert_eq!(nieuws["total_new"], 2);
    // The request asked with the validator of the answer before.
    assert_eq!(server.seen("/nieuws.xml")[1].header("if-none-match"), Some("\"v1\""));
    let markt = source(&st, "/markt.xml");
    assert_eq!((markt["result"].as_str(), markt["http_status"].as_u64()), (Some("not_modified"), Some(304)));
    assert_eq!(markt["new"], 0);
    assert_eq!(
        server.seen("/markt.xml")[1].header("if-modified-since"),
        Some("Tue, 14 Oct 2025 07:00:00 GMT")
    );
    let articles = json_of(&run(&db, &["articles", "--json"]));
    let raad = articles
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == RAAD.1)
        .unwrap_or_else(|| panic!("the new item is stored: {articles}"));
    assert_eq!(raad["source"], "Omroep Vechtdal");

    // Nothing changed: 304, nothing new; the user agent names storyline.
    let o = watch();
    assert!(o.status.success(), "{}", stderr(&o));
    let st = status_of(&status_file);
    let nieuws = source(&st, "/nieuws.xml");
    assert_eq!(
        (nieuws["result"].as_str(), nieuws["http_status"].as_u64()),
        (Some("not_modified"), Some(304))
    );
    assert_eq!((nieuws["new"].as_u64(), nieuws["total_new"].as_u64()), (Some(0), Some(2)));
    assert!(server.seen("/nieuws.xml")[2].header("user-agent").unwrap().starts_with("storyline/"));

    // A changed text under the same item: a new version of the stored article.
    let revised = (
        RAAD.0,
        RAAD.1,
        "De gemeenteraad van Dalfsen wil opheldering over de kosten van het onderhoud aan de \
         Vechtbrug. Die vallen drie miljoen euro hoger uit dan begroot, schrijft het college aan de raad.",
    );
    server.set("/nieuws.xml", Reply::doc("application/rss+xml", &vechtdal_feed(&[revised, BRUG])).etag("v3"));
    let o = watch();
    assert!(o.status.success(), "{}", stderr(&o));
    let nieuws = source(&status_of(&status_file), "/nieuws.xml").clone();
    assert_eq!((nieuws["new"].as_u64(), nieuws["revised"].as_u64()), (Some(0), Some(1)), "{nieuws}");
    assert_eq!(stored_ids(&db).len(), 3);

    // `storyline feeds` shows the same, in text and JSON.
    let text = stdout(&run(&db, &["feeds"]));
    assert!(
        text.contains(&format!("{}  (feed, Omroep Vechtdal, every 15m)", server.url("/nieuws.xml"))),
        "{text}"
    );
    assert!(text.contains("HTTP 200: 0 new, 1 duplicates, 1 revised"), "{text}");
    assert!(text.contains("not modified (HTTP 304)"), "{text}");
    let json = json_of(&run(&db, &["feeds", "--json"]));
    assert_eq!(json["sources"].as_array().unwrap().len(), 2);
    assert_eq!(json["sources"][0]["revised"], 1);
}

#[test]
fn failing_sources_each_get_one_clear_line_and_the_others_still_go_in() {
    let server = Server::start();
    server.set("/goed.xml", Reply::doc("application/rss+xml", &vechtdal_feed(&[BRUG])));
    server.set("/kapot.xml", Reply::Status(500));
    server.set("/traag.xml", Reply::Silent);
    server.set("/groot.xml", Reply::Endless(50 * 1024 * 1024));
    server.set(
        "/pagina.xml",
        Reply::doc(
            "text/html; charset=utf-8",
            "<!DOCTYPE html><html><head><title>Omroep Vechtdal</title></head><body><article><h1>Welkom</h1>\
             <p>Dit is de voorpagina van Omroep Vechtdal met het laatste nieuws uit de regio.</p></article></body></html>",
        ),
    );
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("s.db");
    let list = tmp.path().join("bronnen.txt");
    let bad = ["/kapot.xml", "/traag.xml", "/groot.xml", "/pagina.xml"];
    let mut lines: Vec<String> = bad.iter().map(|p| server.url(p)).collect();
    lines.insert(2, format!("{}  outlet=\"Omroep Vechtdal\"", server.url("/goed.xml")));
    std::fs::write(&list, lines.join("\n")).unwrap();
    let o = run(&db, &["watch", list.to_str().unwrap(), "--once", "--timeout", "2s"]);
    assert_eq!(o.status.code(), Some(1), "a failed source makes the round exit 1: {}", stderr(&o));
    let st = status_of(&tmp.path().join("s.feeds.json"));
    let wanted = [
        ("/kapot.xml", "HTTP 500 Internal Server Error".to_string()),
        ("/traag.xml", "timed out after 2s".to_string()),
        ("/groot.xml", "body larger than 10 MB".to_string()),
        ("/pagina.xml", format!("{} is an HTML page, not a feed", server.url("/pagina.xml"))),
    ];
    let err = stderr(&o);
    for (path, message) in &wanted {
        let s = source(&st, path);
        assert_eq!(s["result"], "error", "{s}");
        assert_eq!(s["error"].as_str(), Some(message.as_str()), "{s}");
        assert_eq!(s["failures"], 1);
        assert_eq!((s["new"].as_u64(), s["etag"].as_str()), (Some(0), None));
        // One line on standard error names the source and says what went wrong.
        let said: Vec<&str> = err.lines().filter(|l| l.contains(&server.url(path))).collect();
        assert_eq!(said.len(), 1, "{path}: {err}");
        assert!(said[0].contains(message.as_str()), "{}", said[0]);
        // The next visit waits twice the interval.
        let (at, due) = (s["last_fetch"].as_str().unwrap(), s["next_due"].as_str().unwrap());
        assert!(due > at, "{s}");
    }
    assert_eq!(source(&st, "/pagina.xml")["http_status"], 200);
    assert_eq!(source(&st, "/kapot.xml")["http_status"], 500);
    let goed = source(&st, "/goed.xml");
    assert_eq!((goed["result"].as_str(), goed["new"].as_u64()), (Some("ok"), Some(1)), "{goed}");
    let ids = stored_ids(&db);
    assert_eq!(ids.len(), 1, "the page is not stored as an article: {ids:?}");
    assert!(ids[0].starts_with("vd-101"), "{ids:?}");
    // `storyline feeds` says the same.
    let text = stdout(&run(&db, &["feeds"]));
    for (_, message) in &wanted {
        assert!(text.contains(&format!("  error: {message}\n")), "{text}");
    }
    assert!(text.contains("1 answering, 4 failing"), "{text}");
}

#[test]
fn a_folder_source_reads_each_new_or_changed_file_once() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("s.db");
    let inbox = tmp.path().join("binnen");
    std::fs::create_dir(&inbox).unwrap();
    let line =
        |id: &str, text: &str| format!("{{\"id\":\"{id}\",\"language\":\"nl\",\"text\":\"{text}\"}}\n");
    std::fs::write(
        inbox.join("a.jsonl"),
        line("pb-1", "De veerpont bij Dalfsen vaart vanaf maandag elk half uur."),
    )
    .unwrap();
    let list = tmp.path().join("bronnen.txt");
    // A relative folder is relative to the list's own folder.
    std::fs::write(&list, "binnen/  outlet=Persbureau  every=10m\n").unwrap();
    let status_file = tmp.path().join("status.json");
    let watch = || {
        let o =
            run(&db, &["watch", list.to_str().unwrap(), "--once", "--status", status_file.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
        source(&status_of(&status_file), "binnen/").clone()
    };
    let s = watch();
    assert_eq!(
        (s["kind"].as_str(), s["new"].as_u64(), s["files_seen"].as_u64()),
        (Some("folder"), Some(1), Some(1)),
        "{s}"
    );
    let s = watch();
    assert_eq!(
        (s["result"].as_str(), s["new"].as_u64(), s["duplicates"].as_u64()),
        (Some("not_modified"), Some(0), Some(0))
    );
    // A new file: only it is read.
    std::fs::write(
        inbox.join("b.txt"),
        "Markt Ommen later open\n\nDe weekmarkt in Ommen begint zaterdag een uur later vanwege de kermis.",
    )
    .unwrap();
    let s = watch();
    assert_eq!(
        (s["new"].as_u64(), s["duplicates"].as_u64(), s["files_seen"].as_u64()),
        (Some(1), Some(0), Some(2)),
        "{s}"
    );
    // A changed file is read again: its new record goes in, the old one is found stored.
    let mut a = std::fs::read_to_string(inbox.join("a.jsonl")).unwrap();
    a.push_str(&line("pb-2", "De fietsbrug bij Vilsteren gaat in het voorjaar van 2026 open."));
    std::fs::write(inbox.join("a.jsonl"), a).unwrap();
    let s = watch();
    assert_eq!(
        (s["new"].as_u64(), s["duplicates"].as_u64(), s["total_new"].as_u64()),
        (Some(1), Some(1), Some(3)),
        "{s}"
    );
    let listed = json_of(&run(&db, &["articles", "--json"]));
    assert!(listed.as_array().unwrap().iter().all(|a| a["source"] == "Persbureau"), "{listed}");
    // A folder that is gone is an error of its own.
    std::fs::remove_dir_all(&inbox).unwrap();
    let o = run(&db, &["watch", list.to_str().unwrap(), "--once", "--status", status_file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let s = source(&status_of(&status_file), "binnen/").clone();
    assert!(s["error"].as_str().unwrap().ends_with("binnen/: no such folder or file"), "{s}");
}

#[test]
fn a_bad_watch_list_line_names_the_file_and_the_line() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("s.db");
    let list = tmp.path().join("bronnen.txt");
    std::fs::write(&list, "# bronnen\nhttps://vechtdal.example/rss.xml every=15m\nhttps://hardenberg.example/rss.xml every=vaak\n").unwrap();
    for args in [
        vec!["watch", list.to_str().unwrap(), "--once"],
        vec!["serve", "--addr", "127.0.0.1:0", "--watch", list.to_str().unwrap()],
    ] {
        let o = run(&db, &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.contains(&format!("{}: line 3: every=vaak: `vaak` is not a duration", list.display())),
            "{args:?}: {err}"
        );
    }
    let missing = tmp.path().join("nergens.txt");
    let o = run(&db, &["watch", missing.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("nergens.txt: cannot read the watch list"), "{}", stderr(&o));
}

#[test]
fn ingest_fetches_a_page_or_feed_by_its_address_and_errors_name_it() {
    let server = Server::start();
    server.set(
        "/artikel/brug.html",
        Reply::doc(
            "text/html; charset=utf-8",
            "<!DOCTYPE html><html lang=\"nl\"><head><title>Vechtbrug duurder dan begroot</title>\
             <meta property=\"og:site_name\" content=\"Omroep Vechtdal\"></head><body><article>\
             <h1>Vechtbrug duurder dan begroot</h1><p>Het onderhoud aan de Vechtbrug bij Dalfsen kost twee miljoen \
             euro meer dan begroot. Dat schrijft het college van burgemeester en wethouders aan de gemeenteraad.</p>\
             <p>De raad bespreekt de brief volgende week.</p></article></body></html>",
        ),
    );
    server.set("/nieuws.xml", Reply::doc("application/rss+xml", &vechtdal_feed(&[BRUG, RAAD])));
    server.set("/oud/brug", Reply::Redirect("/artikel/brug.html".into()));
    server.set("/rond", Reply::Redirect("/rond".into()));
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("s.db");
    let page = server.url("/artikel/brug.html");
    let o = run(&db, &["ingest", &page, &server.url("/nieuws.xml"), &server.url("/weg.html"), "--json"]);
    assert_eq!(o.status.code(), Some(1), "the missing page is a failure: {}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!("{}: HTTP 404 Not Found", server.url("/weg.html"))),
        "{}",
        stderr(&o)
    );
    let report = json_of(&o);
    assert_eq!((report["ingested"].as_u64(), report["failed"].as_u64()), (Some(3), Some(1)), "{report}");
    let listed = json_of(&run(&db, &["articles", "--json"]));
    let stored = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Vechtbrug duurder dan begroot")
        .unwrap_or_else(|| panic!("{listed}"));
    assert_eq!(stored["source"], "Omroep Vechtdal");
    let full = json_of(&run(&db, &["article", stored["id"].as_str().unwrap(), "--json"]));
    assert_eq!(full["url"], page);
    assert!(full["text"].as_str().unwrap().contains("twee miljoen euro"), "{full}");
    // The same again stores nothing twice, also when reached through a redirect; redirects
    // are followed a bounded number of times.
    let again = json_of(&run(&db, &["ingest", &page, &server.url("/oud/brug"), "--json"]));
    assert_eq!((again["ingested"].as_u64(), again["duplicates"].as_u64()), (Some(0), Some(2)), "{again}");
    let o = run(&db, &["ingest", &server.url("/rond")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(&format!("{}: more than 5 redirects", server.url("/rond"))),
        "{}",
        stderr(&o)
    );
    assert!(server.seen("/rond").len() <= 6, "{:?}", server.seen("/rond"));
}

/// A GET over loopback with a bound on waiting: the status and the body.
fn http_get(addr: &str, path: &str) -> Option<(u16, String)> {
    use std::io::Read;
    let mut stream = std::net::TcpStream::connect(addr).ok()?;
    stream.set_read_timeout(Some(std::time::Duration::from_secs(10))).ok()?;
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").ok()?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).ok()?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text.split(' ').nth(1)?.parse().ok()?;
    let body = text.split_once("\r\n\r\n")?.1.to_string();
    Some((status, body))
}

/// Polls `check` every 100 ms for at most `secs` seconds.
fn wait_for(secs: u64, mut check: impl FnMut() -> bool) -> bool {
    let until = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    while std::time::Instant::now() < until {
        if check() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    false
}

/// Waits (bounded) for a child to exit after a signal; kills it when it does not.
fn exit_after(child: &mut std::process::Child, signal: &str) -> Option<i32> {
    let pid = child.id().to_string();
    assert!(Command::new("kill").args([signal, &pid]).status().unwrap().success());
    let mut code = None;
    let ended = wait_for(60, || match child.try_wait() {
        Ok(Some(status)) => {
            code = status.code();
            true
        }
        _ => false,
    });
    if !ended {
        let _ = child.kill();
        let _ = child.wait();
        panic!("the process did not stop within a minute of {signal}");
    }
    code
}

#[test]
fn watch_follows_a_feed_until_interrupted_and_a_new_item_comes_within_an_interval() {
    let server = Server::start();
    server.set("/nieuws.xml", Reply::doc("application/rss+xml", &vechtdal_feed(&[BRUG])).etag("v1"));
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("s.db");
    let list = tmp.path().join("bronnen.txt");
    std::fs::write(&list, format!("{} every=1s\n", server.url("/nieuws.xml"))).unwrap();
    let status_file = tmp.path().join("s.feeds.json");
    let log = std::fs::File::create(tmp.path().join("watch.log")).unwrap();
    let mut child = bin()
        .arg("--db")
        .arg(&db)
        .args(["watch", list.to_str().unwrap(), "--min-interval", "0s"])
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap();
    let total_new = || {
        std::fs::read_to_string(&status_file)
            .ok()
            .and_then(|t| serde_json::from_str::<Value>(&t).ok())
            .and_then(|v| v["sources"][0]["total_new"].as_u64())
            .unwrap_or(0)
    };
    let first = wait_for(60, || total_new() >= 1);
    if first {
        server
            .set("/nieuws.xml", Reply::doc("application/rss+xml", &vechtdal_feed(&[RAAD, BRUG])).etag("v2"));
    }
    let second = first && wait_for(60, || total_new() >= 2);
    let code = exit_after(&mut child, "-INT");
    let log = std::fs::read_to_string(tmp.path().join("watch.log")).unwrap();
    assert!(first && second, "the watcher stored {} items: {log}", total_new());
    assert_eq!(code, Some(0), "Ctrl-C stops it cleanly: {log}");
    assert!(log.contains("stopping after the visit in progress"), "{log}");
    // In between, the feed was asked again and again, and answered 304 while it did not change.
    let asked = server.seen("/nieuws.xml");
    assert!(asked.iter().any(|r| r.header("if-none-match") == Some("\"v1\"")), "{asked:?}");
    let st = status_of(&status_file);
    assert_eq!(st["sources"][0]["total_new"], 2);
    let titles: Vec<String> = json_of(&run(&db, &["articles", "--json"]))
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap().to_string())
        .collect();
    assert!(titles.contains(&RAAD.1.to_string()), "{titles:?}");
}

#[test]
fn serve_watch_follows_a_list_and_the_feeds_page_and_api_show_it() {
    use std::io::BufRead;
    let server = Server::start();
    server.set("/nieuws.xml", Reply::doc("application/rss+xml", &vechtdal_feed(&[BRUG, RAAD])));
    server.set("/kapot.xml", Reply::Status(503));
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("s.db");
    let list = tmp.path().join("bronnen.txt");
    std::fs::write(
        &list,
        format!("{}  outlet=\"Omroep Vechtdal\"\n{}\n", server.url("/nieuws.xml"), server.url("/kapot.xml")),
    )
    .unwrap();
    let mut child = bin()
        .arg("--db")
        .arg(&db)
        .args(["serve", "--addr", "127.0.0.1:0", "--watch", list.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    out.read_line(&mut first).unwrap();
    // The rest of what it prints is read as it comes, so its writes never fail.
    let drain = std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    let addr = first
        .split("http://")
        .nth(1)
        .map(|rest| rest.trim().trim_end_matches('/').to_string())
        .unwrap_or_else(|| panic!("no address in {first:?}"));
    let mut feeds = Value::Null;
    let visited = wait_for(60, || {
        if let Some((200, body)) = http_get(&addr, "/api/feeds") {
            feeds = serde_json::from_str(&body).unwrap_or(Value::Null);
            return feeds["sources"].as_array().is_some_and(|s| s.iter().all(|s| s["result"] != "pending"));
        }
        false
    });
    let page = http_get(&addr, "/feeds");
    let articles = http_get(&addr, "/api/articles");
    let code = exit_after(&mut child, "-TERM");
    let _ = drain.join();
    assert!(visited, "both sources visited: {feeds}");
    assert_eq!(feeds["watching"], true);
    assert_eq!(feeds["list"], "bronnen.txt");
    let nieuws = source(&feeds, "/nieuws.xml");
    assert_eq!((nieuws["result"].as_str(), nieuws["new"].as_u64()), (Some("ok"), Some(2)), "{nieuws}");
    let kapot = source(&feeds, "/kapot.xml");
    assert_eq!(kapot["error"], "HTTP 503 Service Unavailable");
    let (status, html) = page.unwrap();
    assert_eq!(status, 200);
    assert!(html.contains("This server follows the sources of <code>bronnen.txt</code>"), "{html}");
    assert!(html.contains("HTTP 503 Service Unavailable"), "{html}");
    let (_, articles) = articles.unwrap();
    assert!(articles.contains(RAAD.1), "{articles}");
    assert_eq!(code, Some(0), "SIGTERM stops the server and its watcher cleanly");
    // The status file beside the store outlives the server.
    assert_eq!(source(&status_of(&tmp.path().join("s.feeds.json")), "/nieuws.xml")["total_new"], 2);
}
