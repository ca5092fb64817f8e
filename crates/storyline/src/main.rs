//! The `storyline` command: ingest news articles (from files, URLs, or feeds followed over
//! time), list and show them, serve them, run the demo and the ingest benchmark.

mod analyze_cmd;
mod bench;
mod bench_http;
mod clock;
mod config;
mod correct_cmd;
mod demo;
mod dossier_cmd;
mod eval_cmd;
mod extraction_cmd;
mod feeds_cmd;
mod fetch;
mod names_cmd;
mod pipeline;
mod progress;
mod serve;
mod show;
mod stories_cmd;
mod watch;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use storyline_core::ingest::{Format, PrepareOptions};
use storyline_core::Published;
use storyline_store::sqlite::SqliteStore;
use storyline_store::{ArticleFilter, SearchQuery, Store};

use crate::config::Config;
use crate::pipeline::{Failure, Input, Options};
use crate::progress::Progress;

/// Follow news stories across outlets and over time.
///
/// storyline reads news articles (plain text, JSON Lines, RSS/Atom, HTML pages, WARC crawls),
/// keeps them in a local store, and links copies of the same report.
#[derive(Parser)]
#[command(name = "storyline", version, propagate_version = true, max_term_width = 100)]
#[command(after_help = "Start with `storyline demo`, then `storyline --db storyline-demo.db articles`.")]
struct Cli {
    /// The store: an SQLite file, created when missing [default: storyline.db]
    #[arg(long, global = true, env = "STORYLINE_DB", value_name = "PATH")]
    db: Option<PathBuf>,
    /// A settings file (TOML; see storyline.example.toml) [default: ./storyline.toml if present]
    #[arg(long, global = true, env = "STORYLINE_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,
    /// Print machine-readable JSON instead of text
    #[arg(long, global = true)]
    json: bool,
    /// Print nothing but results and the summary; no progress line, no per-record errors
    #[arg(long, short, global = true)]
    quiet: bool,
    /// Show times in this time zone (an IANA name: Europe/Amsterdam) instead of UTC, in text
    /// and Markdown; JSON and CSV keep UTC
    #[arg(long, global = true, env = "STORYLINE_TZ", value_name = "ZONE")]
    tz: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read articles from files, directories, web addresses or standard input into the store
    #[command(after_help = "Examples:
  storyline ingest ../shared/seeds
  storyline ingest feeds/nos.xml crawl.warc.gz --source NOS
  storyline ingest https://nieuws.example/rss.xml https://nieuws.example/artikel/12.html
  zcat dump.jsonl.gz | storyline ingest -
  storyline ingest notes.txt --published 2017-10 --language nl

Formats: text (.txt), JSON Lines (.jsonl, .ndjson), RSS/Atom feeds (.rss, .atom, .xml),
HTML pages (.html, .htm), WARC (.warc); any of them gzip-compressed (.gz). Directories are
walked recursively and only files with these extensions are read; a file named directly is
read whatever its name, its format detected from its content. An http(s) address is fetched
once (as `storyline watch` fetches: [fetch] timeout, max_body_mb, max_redirects) and read as
what its content and Content-Type say it is; an error names the address.

Exit status: 0 when everything was read, 1 when any file or record failed (the rest is
stored), 2 for unusable arguments.")]
    Ingest(IngestArgs),
    /// List stored articles, newest first
    #[command(after_help = "Examples:
  storyline articles --source \"De Dagkoerier\" --since 2025-10-01
  storyline articles --language en --limit 10 --json
  storyline articles --undated            (the articles no date filter finds)")]
    Articles(ArticlesArgs),
    /// Show everything stored about one article
    #[command(after_help = "Examples:
  storyline article npb-a-001
  storyline article 3f9c2e --json     (a unique prefix of an id is enough)")]
    Article {
        /// The article's id, or a unique prefix of it
        id: String,
    },
    /// Search the stored articles, best match first
    #[command(after_help = "Examples:
  storyline search konvooi Raqqa
  storyline search '\"Ryan Dillon\"' --since 2017-10 --json
  storyline search 'strijd*' --source NOS --entity ryan-dillon --limit 5

Words match through their stems in every language the store holds; `\"quoted phrases\"` and
`prefix*` words work too. Every word must match; when no article has them all, articles with
any of them are ranked. Each hit shows its story and a snippet with the matched words marked
[like this]. The filters are those of `GET /api/search`.")]
    Search {
        /// What to look for
        #[arg(required = true, num_args = 1..)]
        query: Vec<String>,
        #[command(flatten)]
        list: ListArgs,
        /// Only articles naming this entity, by its key (`ryan-dillon`, as `storyline article`
        /// shows them)
        #[arg(long, value_name = "KEY")]
        entity: Option<String>,
    },
    /// List stories, newest activity first
    #[command(after_help = "Examples:
  storyline stories --min-articles 2
  storyline stories --source \"Het Morgenblad\" --since 2025-10-01 --json
  storyline stories --discrepancies       (the stories whose reports' figures disagree)

A story whose dossier lists discrepancies (figures of one counted thing that disagree between
its reports; `storyline story ID` shows them) is marked [discrepancies], and has
\"discrepancies\": true in --json.")]
    Stories {
        #[command(flatten)]
        list: ListArgs,
        /// Only stories with at least this many reports
        #[arg(long, default_value_t = 1)]
        min_articles: usize,
        /// Only stories whose reports' figures disagree (their dossier lists discrepancies)
        #[arg(long, conflicts_with = "no_discrepancies")]
        discrepancies: bool,
        /// Only stories whose dossier lists no discrepancies
        #[arg(long)]
        no_discrepancies: bool,
    },
    /// Correct the machine: merge, split or move reports, pin or keep one out, set a date,
    /// outlet or language, or undo a correction
    #[command(after_help = "Examples:
  storyline correct merge 41 --into 12 --as Anna
  storyline correct split 12 3f9c2e a71b04       (the reports that move into a new story)
  storyline correct move 3f9c2e --to 12
  storyline correct pin 3f9c2e                   (the machine never moves it)
  storyline correct keep-out 3f9c2e              (a story of its own; never rejoins this one)
  storyline correct set 3f9c2e --published 2017-11-14 --source NOS --language nl
  storyline correct undo 7

Each correction is stored with its time and author (`--as`, STORYLINE_AUTHOR, else the login
name), shown in the story's history (`storyline story N`, `storyline corrections --story N`),
and holds through `recluster` and every later ingest: reports an editor put together stay
together, and stories an editor separated are never merged again by the machine. A story that
loses the report it is named after takes the number of its earliest remaining report.
Exit status 2 when the correction cannot be carried out (the reason is printed).")]
    Correct {
        #[command(subcommand)]
        what: correct_cmd::CorrectCmd,
        /// Your name, stored with the correction
        #[arg(long = "as", global = true, env = "STORYLINE_AUTHOR", value_name = "NAME")]
        author: Option<String>,
    },
    /// List corrections, newest first: all, a story's history, an article's; or export them
    /// as labelled pairs
    #[command(after_help = "Examples:
  storyline corrections
  storyline corrections --story 12
  storyline corrections --pairs > pairs.jsonl

--pairs writes one JSON object a line for the corrections that stand: two article ids (`a`,
`b`), whether they report one story (`same_story`), the correction and its author. What a
clustering model can be trained on.")]
    Corrections {
        /// Only the history of this story
        #[arg(long, value_name = "STORY")]
        story: Option<i64>,
        /// Only the corrections of this article (id or unique prefix)
        #[arg(long, value_name = "ID", conflicts_with = "story")]
        article: Option<String>,
        /// At most this many
        #[arg(long)]
        limit: Option<usize>,
        /// Write labelled pairs (JSON Lines) instead
        #[arg(long, conflicts_with = "json")]
        pairs: bool,
    },
    /// Rebuild every story from the stored articles (after a clustering setting changed)
    #[command(after_help = "Example:
  storyline recluster
Articles are taken in publication order (ingest order when undated), which gives the same
stories as ingesting them in that order.")]
    Recluster,
    /// Read every stored row and report the ones that do not read; --repair fixes them
    #[command(after_help = "Examples:
  storyline check
  storyline check --repair
Listings never fail on a damaged row (a date, metadata, an analysis): they read the field as
missing and say so in the log. `check` names each such field; `--repair` fixes them in one
transaction without losing what they held: an unreadable date or map is kept as text in the
article's metadata (`published_raw`, `metadata_raw`, `extra_raw`), an unreadable analysis is
made again from the stored text, and a story's dates are drawn again from its reports.
Exits 1 when it found problems it did not repair.")]
    Check {
        /// Fix what does not read
        #[arg(long)]
        repair: bool,
    },
    /// Show a story's dossier: timeline, what each report adds, quotes, figures, disagreements
    #[command(after_help = "Examples:
  storyline story 12
  storyline story 12 --markdown > dossier.md
  storyline story 12 --json

The story number is the first column of `storyline stories`. Disagreements come first: the
same counted thing given different values by different reports (values that agree within
what the text allows, such as `about 250` and `250`, are not listed), updates of a figure
by a later report, and claims one report denies that another affirms.")]
    Story {
        /// The story's number
        id: String,
        /// Print Markdown instead of text (each report and quote linked to its article)
        #[arg(long, conflicts_with = "json")]
        markdown: bool,
        /// Print the figures as CSV instead: one row per value, with its disagreement, outlet,
        /// date, address and sentence
        #[arg(long, conflicts_with_all = ["json", "markdown"])]
        csv: bool,
    },
    /// Compare two articles side by side: same story or not, why, what each adds, disagreements
    #[command(after_help = "Examples:
  storyline compare ../shared/seeds/000_64d8d240d9b06057.txt ../shared/seeds/001_f93500ae73deb103.txt
  storyline compare 3f9c2e a71b04 --json      (stored ids, or unique prefixes of them)

Each side is a file holding one article (any format storyline reads) or a stored article id.
Nothing is stored. The verdict is the clustering's own decision for the later article against
the earlier one, with the same settings ingest uses.")]
    Compare {
        /// The first article: a file or a stored id
        a: String,
        /// The second article: a file or a stored id
        b: String,
        /// Print Markdown instead of text
        #[arg(long, conflicts_with = "json")]
        markdown: bool,
    },
    /// Cluster a labelled JSON Lines file and score the stories against its gold labels
    #[command(after_help = "Examples:
  storyline eval ../shared/data/ecbplus-dev.jsonl --gold story
  storyline eval ../shared/data/uci-headlines-dev.jsonl --gold story --json --assignments out.jsonl
  storyline eval ../shared/data/ecbplus-dev.jsonl --gold story --shuffle 1 --errors 10

The file is clustered in stream order (or, with --shuffle, in an order drawn from the seed)
in a private in-memory store (your store is not touched); the gold field is removed from
each record before anything else reads it. Prints pairwise and B-cubed precision, recall
and F1, the numbers of gold and predicted stories, documents per second, and the largest
errors: predicted stories that mix gold stories, and gold stories split over several
predicted ones (`mixed` and `split` in --json).

  storyline eval ../shared/data/conll2002-nl/testa.jsonl --gold entities
With --gold entities the file's records carry gold names instead (`entities`: `start`, `end`
in characters, `type` PER, ORG, LOC or MISC): every text is analysed as ingest analyses it and
its names are scored exact span and kind (conlleval's convention), per kind, and by span
alone.

  storyline eval ../shared/data/extraction-dev --gold extraction --predictions out.json
With --gold extraction the argument is a folder of pages laid out like the public
article-extraction benchmark (`ground-truth.json` with each page's `articleBody`, and
`html/ID.html.gz`): every page goes through the HTML extraction ingest uses, and the texts are
scored by runs of four words (the benchmark's measure; its own evaluate.py reads the file
--predictions writes). Prints precision, recall, F1, the pages without text, panics, pages/s
and the lowest pages (--errors); exits 1 when a page gave no text.")]
    Eval {
        /// The JSON Lines file (with --gold extraction: the folder of pages)
        file: PathBuf,
        /// The field holding the gold story label
        #[arg(long, value_name = "FIELD")]
        gold: String,
        /// Write one {"id", "story"} line per article here
        #[arg(long, value_name = "OUT.jsonl")]
        assignments: Option<PathBuf>,
        /// Cluster the records in an order drawn from this seed instead of the file's (the same
        /// seed gives the same order): how much do the stories depend on arrival order?
        #[arg(long, value_name = "SEED")]
        shuffle: Option<u64>,
        /// Also cluster in N shuffled orders (seeds 1..=N) and report the mean, worst and best
        /// B-cubed F1 over them
        #[arg(long, value_name = "N")]
        shuffles: Option<u64>,
        /// How many of the largest mixed and split stories to show (with --gold extraction:
        /// how many of the lowest pages)
        #[arg(long, value_name = "N", default_value_t = 5)]
        errors: usize,
        /// With --gold extraction: write the extracted texts here, as `{ID: {"articleBody"}}`
        #[arg(long, value_name = "OUT.json")]
        predictions: Option<PathBuf>,
    },
    /// Train a model from labelled data
    #[command(subcommand)]
    Train(TrainCommand),
    /// Show what the analysis finds in an article: sentences, names, quotes, figures, times
    #[command(after_help = "Examples:
  storyline analyze ../shared/seeds/001_f93500ae73deb103.txt
  storyline analyze artikel.txt --json --published 2017-11-14
  echo 'De raad telde zondag 31 zetels.' | storyline analyze - --language nl

The file may be in any format `storyline ingest` reads; every article in it is analysed.
With --json one article prints as one object (language, sentences, entities, quotes,
quantities, times; offsets are characters), several as one object per line.")]
    Analyze {
        /// The file, or `-` for standard input
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Publication date to resolve relative times against, when the file has none
        #[arg(long, value_parser = parse_date, value_name = "DATE")]
        published: Option<Published>,
        /// Language, when the file does not say and detection should be skipped
        #[arg(long, value_name = "CODE")]
        language: Option<String>,
    },
    /// Load the bundled demo corpus into a demo store, show what is in it, and serve it
    #[command(after_help = "Examples:
  cargo run --release -- demo
  storyline demo --no-serve          (print the stories and exit)
The demo store is storyline-demo.db in the working directory unless --db says otherwise. It is
served at http://127.0.0.1:8080/ (a free port when 8080 is taken) until Ctrl-C.")]
    Demo(demo::DemoArgs),
    /// Serve the web interface and the JSON API over the store
    #[command(after_help = "Examples:
  storyline serve
  storyline --db archive.db serve --addr 0.0.0.0:9000
  STORYLINE_TOKEN=s3cret storyline serve      (accept POST /api/ingest with this bearer token)

Pages: / (stories), /stories/ID, /articles/ID, /search. The API is under /api/; its OpenAPI
document is /api/openapi.json. Without STORYLINE_TOKEN the server refuses writes. Ctrl-C or
SIGTERM stops it after the requests in progress. Exit status 2 when the address is in use.")]
    Serve {
        /// Address and port to listen on [default: 127.0.0.1:8080, or [serve] addr, STORYLINE_ADDR]
        #[arg(long, value_name = "ADDR")]
        addr: Option<String>,
        /// Follow the sources of this watch list meanwhile, as `storyline watch LIST` does
        /// (settings from [watch] and [fetch]); /feeds shows them
        #[arg(long, value_name = "LIST")]
        watch: Option<PathBuf>,
    },
    /// Follow feeds, pages and folders from a watch list, storing what is new as it appears
    #[command(after_help = WATCH_HELP)]
    Watch(WatchArgs),
    /// Show what the watcher last did with each followed feed, page and folder
    #[command(after_help = "Examples:
  storyline feeds
  storyline feeds --json
  storyline feeds --status /var/lib/storyline/nieuws.feeds.json

Reads the status file `storyline watch` (or `serve --watch`) keeps, beside the store unless
[watch] status_file or --status says otherwise: for every source its last visit (when, the
HTTP status, what it stored: new, duplicates, revised, failed), its error on one line, the
failed visits in a row and the next visit.")]
    Feeds {
        /// The status file [default: beside the store, STORE.feeds.json; [watch] status_file]
        #[arg(long, value_name = "FILE")]
        status: Option<PathBuf>,
    },
    /// Measure ingest speed and memory on a generated corpus
    #[command(after_help = "Example:
  storyline bench --articles 200000
Generates JSON Lines articles of about --text-bytes each into a temporary file, ingests them
into a temporary store through the same path `storyline ingest` uses, and reports articles per
second and peak memory.

  storyline bench --articles 100000 --http --keep /tmp/bench
With --http it then serves that store on 127.0.0.1 and drives the story page and the dossier
API (first visits: every story once, half as pages and half through the API, each dossier
built; then again, cached), the article page, search (common and rare words) and the stories
page with --clients threads over keep-alive connections, --requests per endpoint, printing
requests/s and p50/p95/p99/max latency. --reuse load-tests the store already kept in the --keep directory.")]
    Bench(bench::BenchArgs),
    /// Copy a SQLite store to a PostgreSQL database (moving up to a shared server)
    #[command(after_help = "Example:
  storyline migrate --from storyline.db --to postgres://desk@db.example/news
Copies every article with its analysis, versions, sightings and search entry, then the stories,
a transaction per 500 articles; an interrupted copy goes on where it stopped when run again.
Ends by comparing the counts of both stores and exits 1 when they differ.")]
    Migrate {
        /// The SQLite store to copy
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
        /// The PostgreSQL database to copy into (postgres://user@host/dbname)
        #[arg(long, value_name = "ADDRESS")]
        to: String,
    },
}

#[derive(Subcommand)]
enum TrainCommand {
    /// Train the name tagger (people, organisations, places, other names)
    #[command(after_help = "Example (the command that trained models/ner-nl.bin):
  storyline train names --train ../shared/data/conll2002-nl/ned.train \\
      --dev ../shared/data/conll2002-nl/ned.testa --out models/ner-nl.bin

Training data is CoNLL-2002 columns (`word POS tag`, B-/I- tags, -DOCSTART- between
documents; read as Latin-1) or JSON Lines with gold `entities`. The same seed and data give
the same model. After every epoch the exact-span F1 of the tagger on --dev is printed.")]
    Names(names_cmd::TrainNamesArgs),
    /// Train the clustering's join decision (does this report join that story)
    #[command(after_help = "Example (the command that trained models/cluster.json):
  storyline train stories --data ../shared/data/ecbplus-dev.jsonl \\
      --data ../shared/data/uci-headlines-dev.jsonl \\
      --data ../shared/data/meantime-nl-dev.jsonl,../shared/data/meantime-en-dev.jsonl \\
      --out models/cluster.json --leave-one-out

Each --data is one labelled set (JSON Lines with a gold `story` field; files joined by commas
form one set). Pairs of an article and a candidate story come from replaying each set in
several arrival orders; every set weighs the same. --leave-one-out scores each set with a model
trained on the others, in its file order and in shuffled orders (mean, worst, best). The same
data and options give the same model. Point the clusterer at a model with `models.cluster` in
storyline.toml or STORYLINE_CLUSTER_MODEL.")]
    Stories(stories_cmd::TrainStoriesArgs),
}

#[derive(Args)]
struct IngestArgs {
    /// Files, directories (walked recursively), http(s) addresses, or `-` for standard input
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Read every input as this format instead of detecting it
    #[arg(long, value_parser = parse_format, value_name = "FORMAT")]
    format: Option<Format>,
    /// Outlet of every article read, over the outlet the input names
    #[arg(long, value_name = "NAME")]
    source: Option<String>,
    /// Publication date for articles without one (2017-10-15, 2017-10, RFC 3339)
    #[arg(long, value_parser = parse_date, value_name = "DATE")]
    published: Option<Published>,
    /// Language for articles that declare none (nl, en, ...); skips detection
    #[arg(long, value_name = "CODE")]
    language: Option<String>,
}

const WATCH_HELP: &str = "Examples:
  storyline watch bronnen.txt
  storyline watch bronnen.txt --once          (visit every source once; exit 1 if any failed)
  storyline --db nieuws.db watch bronnen.txt --status /var/lib/storyline/status.json

The watch list has one source a line: an http(s) URL or a folder (relative to the list's
folder), then options as key=value; # starts a comment.

  # feeds: RSS/Atom or JSON Lines; an HTML page there is an error
  https://nieuws.example/feed.xml        outlet=\"De Dagkoerier\"  every=15m
  # a page, read again (and stored as a new version) when it changes
  https://nieuws.example/live/brug.html  kind=page  every=5m
  # a folder: new and changed files are read
  binnen/                                outlet=Persbureau  language=nl

Options: outlet (the outlet its articles are stored under, like ingest --source), every (90s,
15m, 2h, 1h30m; default [watch] interval, 15m), kind (feed or page, for a URL), language.

Each source is visited when due; a URL never more often than the minimum interval (60s,
--min-interval). A fetch asks whether the document changed since the last answer
(If-None-Match, If-Modified-Since) and gives up after the timeout (20s) or at the size limit
(10 MB). A failed visit doubles the wait before the next, up to [watch] max_backoff (6h). Every
visit's result goes to the status file (beside the store: storyline.feeds.json for
storyline.db), which `storyline feeds` and the server's /feeds page show, and which keeps the
validators and the folders' files, so a restart goes on where the last run stopped. The list
is read again when it changes. Ctrl-C stops after the visit in progress.";

#[derive(Args)]
struct WatchArgs {
    /// The watch list: one URL or folder a line, with options (see below)
    #[arg(value_name = "LIST")]
    list: PathBuf,
    /// Visit every source once, then exit (status 1 when any failed)
    #[arg(long)]
    once: bool,
    /// The status file [default: beside the store, STORE.feeds.json; [watch] status_file]
    #[arg(long, value_name = "FILE")]
    status: Option<PathBuf>,
    /// Never visit a URL more often than this [default: 60s; [watch] min_interval]
    #[arg(long, value_parser = parse_duration_arg, value_name = "DURATION")]
    min_interval: Option<Duration>,
    /// The longest one fetch may take [default: 20s; [fetch] timeout]
    #[arg(long, value_parser = parse_duration_arg, value_name = "DURATION")]
    timeout: Option<Duration>,
    /// The largest body read, in MiB [default: 10; [fetch] max_body_mb]
    #[arg(long, value_name = "MB")]
    max_body_mb: Option<u64>,
}

fn parse_duration_arg(s: &str) -> Result<Duration, String> {
    storyline_core::watchlist::parse_duration(s)
}

#[derive(Args)]
struct ArticlesArgs {
    #[command(flatten)]
    list: ListArgs,
    /// Only articles without a publication date (no date filter finds them)
    #[arg(long, conflicts_with_all = ["since", "until"])]
    undated: bool,
}

#[derive(Args)]
struct ListArgs {
    /// Only this outlet (case-insensitive)
    #[arg(long)]
    source: Option<String>,
    /// Only this language (nl, en, ...)
    #[arg(long)]
    language: Option<String>,
    /// Published on or after this date
    #[arg(long, value_parser = parse_date, value_name = "DATE")]
    since: Option<Published>,
    /// Published on or before this date (a month means the whole month)
    #[arg(long, value_parser = parse_date, value_name = "DATE")]
    until: Option<Published>,
    /// At most this many
    #[arg(long, default_value_t = 50)]
    limit: usize,
    /// Skip this many first
    #[arg(long, default_value_t = 0)]
    offset: usize,
}

fn parse_format(s: &str) -> Result<Format, String> {
    s.parse()
}

fn parse_date(s: &str) -> Result<Published, String> {
    Published::parse(s).map_err(|e| e.to_string())
}

/// An error in what the user asked for (exit status 2) rather than in the data (1).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

fn style(json: bool, markdown: bool) -> dossier_cmd::Style {
    match (json, markdown) {
        (true, _) => dossier_cmd::Style::Json,
        (_, true) => dossier_cmd::Style::Markdown,
        _ => dossier_cmd::Style::Text,
    }
}

/// Opens the store `--db` names: a PostgreSQL server for a `postgres://` address, else a SQLite
/// file.
fn open_store(cfg: &Config) -> Result<std::sync::Arc<dyn Store>> {
    if let Some(address) = cfg.postgres() {
        #[cfg(feature = "postgres")]
        {
            let store = storyline_store::postgres::PgStore::open(address)
                .with_context(|| format!("{}: cannot open store", cfg.store_name()))?;
            return Ok(std::sync::Arc::new(store));
        }
        #[cfg(not(feature = "postgres"))]
        {
            let _ = address;
            return Err(UsageError(format!(
                "{}: this storyline was built without PostgreSQL support (the `postgres` feature)",
                cfg.store_name()
            ))
            .into());
        }
    }
    let store =
        SqliteStore::open(&cfg.db).with_context(|| format!("{}: cannot open store", cfg.store_name()))?;
    Ok(std::sync::Arc::new(store))
}

/// `storyline migrate`: a SQLite store copied to PostgreSQL.
fn migrate(from: &std::path::Path, to: &str, json: bool, quiet: bool) -> Result<ExitCode> {
    if !storyline_store::is_postgres(to) {
        return Err(UsageError(format!(
            "--to `{to}` is not a PostgreSQL address (postgres://user@host/dbname)"
        ))
        .into());
    }
    if !from.is_file() {
        return Err(UsageError(format!("--from {}: no such store", from.display())).into());
    }
    #[cfg(feature = "postgres")]
    {
        let target = storyline_store::postgres::PgStore::open(to)
            .with_context(|| format!("{}: cannot open store", storyline_store::redacted(to)))?;
        let mut progress = progress::Progress::new("copying", !quiet);
        let report = target
            .copy_from_sqlite(from, |done, total| progress.update(done, done, total))
            .with_context(|| format!("copying {} to {}", from.display(), storyline_store::redacted(to)))?;
        progress.clear();
        if json {
            println!("{}", serde_json::to_string_pretty(&report)?);
        } else {
            println!(
                "copied {} articles ({} in all), {} earlier versions, {} sightings, {} stories and {} corrections to {}; the counts agree",
                report.copied,
                report.articles,
                report.versions,
                report.sightings,
                report.stories,
                report.corrections,
                storyline_store::redacted(to)
            );
        }
        Ok(ExitCode::SUCCESS)
    }
    #[cfg(not(feature = "postgres"))]
    {
        let _ = (json, quiet);
        Err(UsageError("this storyline was built without PostgreSQL support (the `postgres` feature)".into())
            .into())
    }
}

/// A watch list that does not read is an unusable argument (exit status 2); any other error
/// stays as it is.
pub fn watch_usage_error(e: anyhow::Error) -> anyhow::Error {
    if e.downcast_ref::<storyline_core::watchlist::ListError>().is_some() {
        UsageError(e.to_string()).into()
    } else {
        e
    }
}

/// The inputs of `storyline ingest`: files and directories as `pipeline::expand` finds them,
/// http(s) addresses fetched once, in the order given; what cannot be had is a failure naming it.
fn ingest_inputs(paths: &[PathBuf], cfg: &Config, forced: Option<Format>) -> (Vec<Input>, Vec<Failure>) {
    let mut inputs = Vec::new();
    let mut failures = Vec::new();
    let mut client = None;
    for p in paths {
        let arg = p.to_string_lossy();
        if !fetch::is_url(&arg) {
            let (found, missing) = pipeline::expand(std::slice::from_ref(p));
            inputs.extend(found);
            failures.extend(missing);
            continue;
        }
        let client = client.get_or_insert_with(|| fetch::Client::new(cfg.fetch_limits()));
        let failed = |reason: String| Failure { file: arg.to_string(), record: None, reason };
        match client.get(&arg, &fetch::Validators::default()) {
            Ok(fetch::Answer::Body(f)) => match fetch::judge(&f, fetch::Expect::Any, forced) {
                Ok(format) => inputs.push(Input::Fetched {
                    address: f.url,
                    content_type: f.content_type,
                    bytes: f.body,
                    format,
                }),
                Err(e) => failures.push(failed(e.to_string())),
            },
            Ok(fetch::Answer::NotModified) => {
                failures.push(failed("HTTP 304 Not Modified to a plain request".into()))
            }
            Err(e) => failures.push(failed(e.to_string())),
        }
    }
    (inputs, failures)
}

/// `storyline watch`: follows the list until Ctrl-C (or for one round with `--once`), one line
/// per visit.
fn watch_command(cfg: &Config, settings: watch::Settings, json: bool, quiet: bool) -> Result<ExitCode> {
    use watch::Event;
    let store = open_store(cfg)?;
    let once = settings.once;
    let stop = watch::Stop::default();
    if !once {
        watch::stop_on_signals(stop.clone())?;
    }
    let mut log = |e: Event<'_>| match e {
        Event::Visited(s, failures) => {
            if json {
                if let Ok(line) = serde_json::to_string(s) {
                    println!("{line}");
                }
                return;
            }
            let at = s.last_fetch.map(clock::short).unwrap_or_default();
            let line = format!("{at} {}", watch::visit_line(s));
            let troubled = s.is_failing() || !failures.is_empty();
            if troubled {
                eprintln!("{line}");
            } else if !quiet {
                println!("{line}");
            }
            if !quiet && failures.len() > 1 {
                for f in failures {
                    eprintln!("  {f}");
                }
            }
        }
        Event::Note(m) => eprintln!("storyline: {m}"),
    };
    let list = settings.list.clone();
    let status = settings.status_file.clone();
    let mut watcher = watch::Watcher::new(&*store, cfg, settings, &mut log).map_err(watch_usage_error)?;
    let n = watcher.status().sources.len();
    if !quiet && !json {
        eprintln!(
            "storyline: following {n} source{} from {} (status in {}){}",
            if n == 1 { "" } else { "s" },
            list.display(),
            status.display(),
            if once { "" } else { "; Ctrl-C stops" }
        );
    }
    let summary = watcher.run(&stop, &mut log);
    if once && !json && !quiet {
        println!(
            "{} visit{}, {} failed",
            summary.visits,
            if summary.visits == 1 { "" } else { "s" },
            summary.failed
        );
    }
    Ok(if once && summary.failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn run(cli: Cli) -> Result<ExitCode> {
    let env = |k: &str| std::env::var(k).ok();
    let cfg = Config::load(cli.config.as_deref(), cli.db.clone(), &env)
        .map_err(|e| UsageError(format!("{e:#}")))?;
    if let Some(tz) = cli.tz.as_deref().filter(|t| !t.trim().is_empty()) {
        clock::set(tz).map_err(|e| UsageError(format!("{e:#}")))?;
    }
    match cli.command {
        Command::Ingest(args) => {
            if let Some(l) = &args.language {
                if storyline_core::analyze::lang::normalize_code(l).is_none() {
                    return Err(UsageError(format!("--language: unknown language `{l}`")).into());
                }
            }
            let store = open_store(&cfg)?;
            let (inputs, missing) = ingest_inputs(&args.paths, &cfg, args.format);
            let prepare =
                PrepareOptions { source: args.source, published: args.published, language: args.language };
            let opts = Options::new(&cfg, prepare, args.format);
            for m in &missing {
                if !cli.quiet {
                    eprintln!("{m}");
                }
            }
            let mut progress = Progress::new("ingest", !cli.quiet && !cli.json);
            let mut report =
                pipeline::run(&*store, inputs, opts, &mut progress, cli.quiet).with_context(|| {
                    format!("{}: store failed; the batch in progress was not written", cfg.store_name())
                })?;
            report.failed += missing.len() as u64;
            report.errors.splice(0..0, missing);
            show::ingest_report(&report, cli.json)?;
            Ok(if report.failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
        }
        Command::Articles(args) => {
            let store = open_store(&cfg)?;
            let filter = ArticleFilter {
                source: args.list.source,
                language: args.list.language,
                since: args.list.since,
                until: args.list.until,
                undated: args.undated,
                limit: Some(args.list.limit),
                offset: args.list.offset,
            };
            let list = store.articles(&filter)?;
            show::article_list(&list, cli.json)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Search { query, list, entity } => {
            let store = open_store(&cfg)?;
            let query = SearchQuery {
                text: query.join(" "),
                source: list.source,
                language: list.language,
                since: list.since,
                until: list.until,
                entity,
                limit: list.limit,
                offset: list.offset,
            };
            let found = store.search(&query)?;
            show::search_results(&found, query.offset, cli.json)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Article { id } => {
            let store = open_store(&cfg)?;
            let Some(full) = store.resolve(&id)? else {
                anyhow::bail!("no article with id `{id}` in {}", cfg.store_name());
            };
            let record =
                store.article(&full)?.with_context(|| format!("article `{full}` vanished while reading"))?;
            show::article(&record, cli.json)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Stories { list, min_articles, discrepancies, no_discrepancies } => {
            let store = open_store(&cfg)?;
            let filter = storyline_store::StoryFilter {
                id: None,
                source: list.source,
                language: list.language,
                since: list.since,
                until: list.until,
                min_articles,
                discrepancies: (discrepancies || no_discrepancies).then_some(discrepancies),
                limit: Some(list.limit),
                offset: list.offset,
            };
            show::story_list(&store.stories(&filter)?, cli.json)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Story { id, markdown, csv } => {
            let store = open_store(&cfg)?;
            let style = if csv { dossier_cmd::Style::Csv } else { style(cli.json, markdown) };
            dossier_cmd::story(&*store, &id, style)
        }
        Command::Compare { a, b, markdown } => {
            // The store is only opened when it exists: files need none.
            let store =
                if cfg.postgres().is_some() || cfg.db.exists() { Some(open_store(&cfg)?) } else { None };
            let store_ref = store.as_deref();
            let settings = cfg.ingest_settings().cluster;
            dossier_cmd::compare(
                store_ref,
                &a,
                &b,
                &PrepareOptions::default(),
                &settings,
                style(cli.json, markdown),
            )
        }
        Command::Recluster => {
            let store = open_store(&cfg)?;
            let report = store.recluster(&cfg.ingest_settings())?;
            if cli.json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                println!("{} articles in {} stories", report.articles, report.stories);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { repair } => {
            let store = open_store(&cfg)?;
            let report = store.check(repair)?;
            if cli.json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                for p in &report.problems {
                    let done = if p.repaired { "repaired" } else { "unreadable" };
                    println!("{}: {}: {done}: {}", p.row, p.field, p.message);
                }
                println!(
                    "{} articles and {} stories read; {} problem{}{}",
                    report.articles,
                    report.stories,
                    report.problems.len(),
                    if report.problems.len() == 1 { "" } else { "s" },
                    if report.problems.is_empty() || repair {
                        ""
                    } else {
                        " (storyline check --repair fixes them)"
                    }
                );
            }
            Ok(if report.problems.is_empty() || repair { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        Command::Eval { file, gold, errors, .. } if gold == "entities" => {
            names_cmd::eval(&file, errors, cli.json)
        }
        Command::Eval { file, gold, errors, predictions, .. } if gold == "extraction" => {
            extraction_cmd::run(&file, predictions.as_ref(), errors, cli.json)
        }
        Command::Eval { file, gold, assignments, shuffle, shuffles, errors, .. } => {
            let options =
                eval_cmd::Options { assignments: assignments.as_deref(), shuffle, shuffles, errors };
            eval_cmd::run(&cfg, &file, &gold, &options, cli.json)
        }
        Command::Train(TrainCommand::Names(args)) => names_cmd::train(&args, cli.quiet),
        Command::Train(TrainCommand::Stories(args)) => stories_cmd::run(&cfg, &args, cli.json, cli.quiet),
        Command::Analyze { file, published, language } => {
            let prepare = PrepareOptions { source: None, published, language };
            analyze_cmd::run(&file, &prepare, cli.json)
        }
        Command::Demo(args) => demo::run(&cfg, &args, cli.json, cli.quiet),
        Command::Serve { addr, watch } => {
            serve::run(open_store(&cfg)?, &cfg, addr.as_deref(), watch.as_deref(), cli.quiet)
        }
        Command::Watch(args) => {
            let mut cfg = cfg;
            if let Some(d) = args.min_interval {
                cfg.watch_min_interval = d;
            }
            if let Some(t) = args.timeout {
                if t.is_zero() {
                    return Err(UsageError("--timeout must be more than 0".into()).into());
                }
                cfg.fetch_timeout = t;
            }
            if let Some(mb) = args.max_body_mb {
                if mb == 0 {
                    return Err(UsageError("--max-body-mb must be at least 1".into()).into());
                }
                cfg.fetch_max_body_bytes = mb.saturating_mul(1024 * 1024);
            }
            if let Some(s) = args.status {
                cfg.watch_status = Some(s);
            }
            let mut settings = watch::Settings::new(&cfg, args.list);
            settings.once = args.once;
            watch_command(&cfg, settings, cli.json, cli.quiet)
        }
        Command::Feeds { status } => {
            let path = status.unwrap_or_else(|| cfg.watch_status_file());
            feeds_cmd::run(&path, cli.json)
        }
        Command::Bench(args) => bench::run(&cfg, &args, cli.json),
        Command::Migrate { from, to } => migrate(&from, &to, cli.json, cli.quiet),
        Command::Correct { what, author } => {
            let author = correct_cmd::author(author)?;
            let store = open_store(&cfg)?;
            correct_cmd::correct(&*store, what, &author, cli.json)
        }
        Command::Corrections { story, article, limit, pairs } => {
            let store = open_store(&cfg)?;
            let article = match article {
                Some(a) => Some(
                    store.resolve(&a)?.ok_or_else(|| UsageError(format!("no article `{a}` in the store")))?,
                ),
                None => None,
            };
            let story = match story {
                Some(s) => Some(store.resolve_story(s)?.unwrap_or(s)),
                None => None,
            };
            let filter = storyline_store::corrections::CorrectionFilter { story, article, limit };
            correct_cmd::list(&*store, &filter, pairs, cli.json)
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            // A reader that stopped reading (`storyline articles | head`) is not a failure.
            let broken_pipe = e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            });
            if broken_pipe {
                return ExitCode::SUCCESS;
            }
            let usage = e.downcast_ref::<UsageError>().is_some();
            eprintln!("storyline: {e}");
            for cause in e.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::from(if usage { 2 } else { 1 })
        }
    }
}
