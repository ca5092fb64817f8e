//! `storyline train stories`: learn the clustering's join decision from labelled JSON Lines,
//! and measure it honestly (each set left out in turn, in many arrival orders).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::Args;
use serde::Serialize;
use storyline_core::cluster::train::{cluster, own_decisions, teacher_forced, Labelled};
use storyline_core::cluster::{features, fit, Example, Model, Settings};
use storyline_core::eval::{score, shuffle};
use storyline_core::ingest::prepare::prepare_with_signature;
use storyline_core::ingest::PrepareOptions;

use crate::config::Config;
use crate::eval_cmd::read_labelled;

/// `storyline train stories`.
#[derive(Args)]
pub struct TrainStoriesArgs {
    /// A labelled data set: JSON Lines with a gold story field; files joined by commas form one
    /// set (a story may span them, as translation pairs do). Give the option once per set.
    #[arg(long, value_name = "FILE[,FILE]", required = true)]
    pub data: Vec<String>,
    /// The field holding the gold story
    #[arg(long, default_value = "story", value_name = "FIELD")]
    pub gold: String,
    /// Where to write the model (trained on every set)
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Arrival orders replayed per set for training, and shuffled orders scored per set: the
    /// file's own order and N-1 shuffled ones for training, N shuffled ones for scoring
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub orders: u64,
    /// Rounds of training: the first replays every article into its gold story; each later
    /// round adds the pairs met when the previous model decides for itself
    #[arg(long, default_value_t = 2, value_name = "N")]
    pub rounds: usize,
    /// L2 penalty on the standardised weights
    #[arg(long, default_value_t = 0.01)]
    pub l2: f64,
    /// Score each set with a model trained on the other sets only
    #[arg(long)]
    pub leave_one_out: bool,
    /// Train on the sets as they are only, without their other views (each dated set once more
    /// without dates, once more with every other date removed and once more with the later
    /// half of every story published weeks later; each set with bodies once more as headlines
    /// only)
    #[arg(long)]
    pub no_views: bool,
}

/// One data set, prepared.
struct Set {
    name: String,
    docs: Vec<Labelled>,
    /// The same articles seen otherwise, for training only: without their dates, and as
    /// headlines without a body, so that a model trained without an undated archive or a
    /// headline feed has seen such pairs.
    views: Vec<View>,
}

/// A data set seen otherwise.
struct View {
    name: String,
    docs: Vec<Labelled>,
    /// Replayed in publication order (shuffled within a time): reports weeks apart arrive
    /// weeks apart, as a feed brings them.
    in_time_order: bool,
}

/// Weight of a view in the loss, against 1 for the set itself.
const VIEW_WEIGHT: f64 = 0.5;

/// The scores of one set in its file order and in shuffled orders.
#[derive(Serialize)]
struct SetScores {
    set: String,
    /// What the model that scored it was trained on.
    trained_on: String,
    articles: usize,
    gold_stories: usize,
    file_order: f64,
    mean: f64,
    worst: f64,
    best: f64,
    orders: u64,
    /// Mean B-cubed precision and recall over the shuffled orders.
    precision: f64,
    recall: f64,
}

fn load(cfg: &Config, spec: &str, gold: &str, views: bool, quiet: bool) -> Result<Set> {
    let mut docs = Vec::new();
    let (mut undated, mut partly, mut headlines) = (Vec::new(), Vec::new(), Vec::new());
    // The dated records, for the view with follow-ups weeks later.
    let mut dated_records: Vec<(storyline_core::RawArticle, String, String)> = Vec::new();
    // The undated ones, for a view with made-up dates when most of the set has none.
    let mut undated_records: Vec<(storyline_core::RawArticle, String, String)> = Vec::new();
    let labelled = |raw: storyline_core::RawArticle, label: &str, what: &str| -> Result<Labelled> {
        let p = prepare_with_signature(raw, &PrepareOptions::default(), None)
            .with_context(|| what.to_string())?;
        Ok(Labelled {
            features: features(&p.article, &p.analysis),
            signature: p.signature,
            gold: label.to_string(),
        })
    };
    for file in spec.split(',').filter(|f| !f.is_empty()) {
        let path = Path::new(file);
        let (records, failed) =
            if path.is_dir() { read_labelled_corpus(path)? } else { read_labelled(cfg, path, gold)? };
        if failed > 0 {
            bail!("{file}: {failed} records unusable (see above)");
        }
        for (raw, label) in records {
            let what = format!("{file}: {}", raw.locator.map(|l| l.to_string()).unwrap_or_default());
            let dated = views && raw.published.is_some();
            if dated {
                undated.push(labelled(
                    storyline_core::RawArticle { published: None, ..raw.clone() },
                    &label,
                    &what,
                )?);
            }
            let title = raw.title.clone().unwrap_or_default();
            if views && !title.trim().is_empty() && raw.text.trim() != title.trim() {
                let headline = storyline_core::RawArticle { text: title, ..raw.clone() };
                headlines.push(labelled(headline, &label, &what)?);
            }
            if dated {
                dated_records.push((raw.clone(), label.clone(), what.clone()));
            } else if views && raw.published.is_none() {
                undated_records.push((raw.clone(), label.clone(), what.clone()));
            }
            docs.push(labelled(raw, &label, &what)?);
            // Every other dated article without its date: a dated report beside an undated one.
            if dated {
                let (Some(with), Some(without)) = (docs.last(), undated.last()) else { continue };
                partly.push(if partly.len() % 2 == 1 { without.clone() } else { with.clone() });
            }
        }
    }
    if docs.is_empty() {
        bail!("{spec}: no labelled records");
    }
    let name = spec
        .split(',')
        .map(|f| Path::new(f).file_name().map_or(f.to_string(), |n| n.to_string_lossy().into_owned()))
        .collect::<Vec<_>>()
        .join("+");
    // A view holds the articles that can be seen that way (those with a date, those with a
    // title besides a body); kept when most can.
    let mut views = Vec::new();
    if undated.len() * 2 > docs.len() {
        let later = follow_ups(dated_records, &labelled)?;
        views.push(View { name: format!("{name} undated"), docs: undated, in_time_order: false });
        views.push(View { name: format!("{name} partly undated"), docs: partly, in_time_order: false });
        views.push(View { name: format!("{name} later"), docs: later, in_time_order: true });
    }
    if undated_records.len() * 2 > docs.len() {
        let dated = with_made_up_dates(undated_records);
        let later = follow_ups(dated.clone(), &labelled)?;
        let dated = dated
            .into_iter()
            .map(|(raw, label, what)| labelled(raw, &label, &what))
            .collect::<Result<_>>()?;
        views.push(View { name: format!("{name} dated"), docs: dated, in_time_order: false });
        views.push(View { name: format!("{name} later"), docs: later, in_time_order: true });
    }
    if headlines.len() * 2 > docs.len() {
        views.push(View { name: format!("{name} headlines"), docs: headlines, in_time_order: false });
    }
    if !quiet {
        let names: Vec<&str> = views.iter().map(|v| v.name.as_str()).collect();
        eprintln!(
            "{name}: {} articles; views: {}",
            docs.len(),
            if names.is_empty() { "none".into() } else { names.join(", ") }
        );
    }
    Ok(Set { name, docs, views })
}

/// Days over which the made-up dates of an undated set's stories are spread.
const MADE_UP_SPREAD_DAYS: u64 = 14;

/// Undated records with made-up dates: each story on its own day within
/// [`MADE_UP_SPREAD_DAYS`] (drawn from a hash of its label), each report on that day or one of
/// the two after (from a hash of the record), so that a set without dates also teaches what
/// dates say beside long texts. Deterministic.
fn with_made_up_dates(
    mut records: Vec<(storyline_core::RawArticle, String, String)>,
) -> Vec<(storyline_core::RawArticle, String, String)> {
    fn fnv(text: &str) -> u64 {
        text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
    }
    let Some(base) = storyline_core::date::Published::day(2010, 1, 1) else { return records };
    for (raw, label, what) in &mut records {
        let day = fnv(label) % MADE_UP_SPREAD_DAYS + fnv(what) % 3;
        raw.published =
            Some(storyline_core::date::Published { unix: base.unix + day as i64 * 86_400, ..base });
    }
    records
}

/// Days the later reports of each story are moved in the view with follow-ups.
const FOLLOW_UP_SHIFT_DAYS: i64 = 35;

/// The dated records with the later half of every story's reports (by publication time)
/// published [`FOLLOW_UP_SHIFT_DAYS`] later: no data set holds follow-ups weeks after a story
/// went quiet, yet the clusterer must decide them, and look-alike stories moved the same way
/// are there to be told apart.
fn follow_ups(
    mut records: Vec<(storyline_core::RawArticle, String, String)>,
    labelled: &dyn Fn(storyline_core::RawArticle, &str, &str) -> Result<Labelled>,
) -> Result<Vec<Labelled>> {
    let mut by_story: std::collections::BTreeMap<String, Vec<usize>> = std::collections::BTreeMap::new();
    for (i, (_, label, _)) in records.iter().enumerate() {
        by_story.entry(label.clone()).or_default().push(i);
    }
    for members in by_story.values_mut() {
        members.sort_by_key(|&i| (records[i].0.published.map(|p| p.unix), i));
        for &i in &members[members.len().div_ceil(2)..] {
            if let Some(p) = records[i].0.published.as_mut() {
                p.unix += FOLLOW_UP_SHIFT_DAYS * 86_400;
            }
        }
    }
    records.drain(..).map(|(raw, label, what)| labelled(raw, &label, &what)).collect()
}

/// A corpus folder in any input format, labelled by its `gold-*.tsv` files (`path`, `record`,
/// `story`, …: a record is its line or item number, or a WARC record's address), as the demo
/// corpus is. Records are read in the files' name order.
fn read_labelled_corpus(root: &Path) -> Result<(Vec<(storyline_core::RawArticle, String)>, u64)> {
    use std::collections::HashMap;
    use storyline_core::ingest::{read_stream, Format, DEFAULT_MAX_RECORD_BYTES};
    use storyline_core::Locator;
    let mut gold: HashMap<(String, String), String> = HashMap::new();
    let mut files = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).with_context(|| format!("{}: cannot read", dir.display()))? {
            let path = entry?.path();
            let rel = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            if path.is_dir() {
                stack.push(path);
            } else if rel.starts_with("gold") && rel.ends_with(".tsv") {
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("{}: cannot read", path.display()))?;
                for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
                    let cols: Vec<&str> = line.split('\t').collect();
                    if cols.len() >= 3 {
                        gold.insert((cols[0].to_string(), cols[1].to_string()), cols[2].to_string());
                    }
                }
            } else if Format::from_path(&rel).is_some() {
                files.push((rel, path));
            }
        }
    }
    files.sort();
    let (mut out, mut failed) = (Vec::new(), 0u64);
    for (rel, path) in files {
        let bytes = std::fs::read(&path).with_context(|| format!("{}: cannot read", path.display()))?;
        let mut raws = Vec::new();
        read_stream(&rel, bytes.as_slice(), None, DEFAULT_MAX_RECORD_BYTES, &mut |r| match r {
            Ok(raw) => raws.push(raw),
            Err(e) => {
                failed += 1;
                eprintln!("{rel}: {e}");
            }
        })
        .map_err(|e| anyhow::anyhow!("{rel}: {e}"))?;
        for raw in raws {
            let record = match raw.locator {
                _ if rel.contains(".warc") => {
                    raw.metadata.get("warc_target_uri").cloned().unwrap_or_default()
                }
                Some(Locator::Line(n)) | Some(Locator::Item(n)) => n.to_string(),
                _ => "-".to_string(),
            };
            match gold.get(&(rel.clone(), record.clone())) {
                Some(label) => out.push((raw, label.clone())),
                None => {
                    failed += 1;
                    eprintln!("{rel}: record {record}: no gold story");
                }
            }
        }
    }
    Ok((out, failed))
}

/// The orders a set is replayed in for training: the file's own, then shuffles (each put in
/// publication order, undated first, when `in_time_order`).
fn training_orders(docs: &[Labelled], orders: u64, in_time_order: bool) -> Vec<Vec<&Labelled>> {
    (0..orders.max(1))
        .map(|seed| {
            let mut v: Vec<&Labelled> = docs.iter().collect();
            if seed > 0 {
                shuffle(&mut v, 1000 + seed);
            }
            if in_time_order {
                v.sort_by_key(|d| d.features.time());
            }
            v
        })
        .collect()
}

/// Trains on `sets`: each set weighs the same in the loss, whatever its size.
fn train(sets: &[&Set], args: &TrainStoriesArgs, quiet: bool) -> Model {
    let names: Vec<&str> = sets.iter().map(|s| s.name.as_str()).collect();
    let mut settings = Settings::default();
    // Every set and view with its weight in the loss.
    let parts: Vec<(&[Labelled], f64, bool)> = sets
        .iter()
        .flat_map(|s| {
            std::iter::once((s.docs.as_slice(), 1.0, false))
                .chain(s.views.iter().map(|v| (v.docs.as_slice(), VIEW_WEIGHT, v.in_time_order)))
        })
        .collect();
    let mut pairs: Vec<Vec<(storyline_core::cluster::PairFeatures, bool)>> = vec![Vec::new(); parts.len()];
    let mut model = Model::builtin().as_ref().clone();
    for round in 0..args.rounds.max(1) {
        for (i, &(docs, _, in_time_order)) in parts.iter().enumerate() {
            for order in training_orders(docs, args.orders, in_time_order) {
                if round == 0 {
                    pairs[i].extend(teacher_forced(&order, &settings));
                } else {
                    pairs[i].extend(own_decisions(&order, &settings));
                }
            }
        }
        let mut examples = Vec::new();
        for (p, (_, part_weight, _)) in pairs.iter().zip(&parts) {
            let weight = part_weight / p.len().max(1) as f64;
            examples.extend(p.iter().map(|&(x, joins)| Example { x, joins, weight }));
        }
        let total: usize = pairs.iter().map(Vec::len).sum();
        let positive = examples.iter().filter(|e| e.joins).count();
        model = fit(
            &examples,
            args.l2,
            vec![
                format!("sets: {}", names.join(", ")),
                format!(
                    "{} orders per set, {} rounds, l2 {}, {total} pairs ({positive} joins)",
                    args.orders,
                    round + 1,
                    args.l2
                ),
            ],
        );
        model.threshold = best_threshold(sets, &model);
        if !quiet {
            eprintln!(
                "  round {}: {total} pairs ({positive} joins) from {}; threshold {:.2}",
                round + 1,
                names.join(", "),
                model.threshold
            );
        }
        settings.model = Some(std::sync::Arc::new(model.clone()));
    }
    model
}

/// Mean B-cubed F1 within which a threshold counts as level with the best one.
const THRESHOLD_PLATEAU: f64 = 0.002;

/// The join threshold for `model`: every threshold from 0.100 to 0.700 in steps of 0.025 is
/// scored by the mean B-cubed F1 over the sets (each in its file order and two shuffled ones);
/// of those level with the best (within [`THRESHOLD_PLATEAU`]), the middle one. The curve is
/// flat near its top, and the middle of the flat part moves least when the data does.
fn best_threshold(sets: &[&Set], model: &Model) -> f32 {
    let mut curve: Vec<(f32, f64)> = Vec::new();
    for step in 4..=28 {
        let t = step as f32 * 0.025;
        let mut m = model.clone();
        m.threshold = t;
        let settings = Settings { model: Some(std::sync::Arc::new(m)), ..Settings::default() };
        let mut sum = 0.0;
        for set in sets {
            for seed in 0..3u64 {
                let mut order: Vec<&Labelled> = set.docs.iter().collect();
                if seed > 0 {
                    shuffle(&mut order, 2000 + seed);
                }
                let gold: Vec<&str> = order.iter().map(|d| d.gold.as_str()).collect();
                sum += score(&gold, &cluster(&order, &settings)).bcubed_f1;
            }
        }
        curve.push((t, sum / (3 * sets.len()) as f64));
    }
    let top = curve.iter().map(|&(_, f)| f).fold(f64::MIN, f64::max);
    let level: Vec<f32> =
        curve.iter().filter(|&&(_, f)| f >= top - THRESHOLD_PLATEAU).map(|&(t, _)| t).collect();
    // Empty only if every score were undefined: the model's own threshold then stands.
    level.get(level.len().saturating_sub(1) / 2).copied().unwrap_or(model.threshold)
}

/// Clusters `set` with `model` in its file order and `orders` shuffled orders (seeds 1..=N, the
/// seeds of `storyline eval --shuffle`).
fn evaluate(set: &Set, model: &Model, trained_on: &str, orders: u64) -> SetScores {
    let settings = Settings { model: Some(std::sync::Arc::new(model.clone())), ..Settings::default() };
    let gold: Vec<&str> = set.docs.iter().map(|d| d.gold.as_str()).collect();
    let file: Vec<&Labelled> = set.docs.iter().collect();
    let file_order = score(&gold, &cluster(&file, &settings)).bcubed_f1;
    let (mut sum, mut worst, mut best, mut p, mut r) = (0.0, f64::MAX, f64::MIN, 0.0, 0.0);
    for seed in 1..=orders.max(1) {
        let mut order: Vec<&Labelled> = set.docs.iter().collect();
        shuffle(&mut order, seed);
        let gold: Vec<&str> = order.iter().map(|d| d.gold.as_str()).collect();
        let s = score(&gold, &cluster(&order, &settings));
        sum += s.bcubed_f1;
        worst = worst.min(s.bcubed_f1);
        best = best.max(s.bcubed_f1);
        p += s.bcubed_p;
        r += s.bcubed_r;
    }
    let n = orders.max(1) as f64;
    let mut golds: Vec<&str> = gold.clone();
    golds.sort_unstable();
    golds.dedup();
    SetScores {
        set: set.name.clone(),
        trained_on: trained_on.to_string(),
        articles: set.docs.len(),
        gold_stories: golds.len(),
        file_order,
        mean: sum / n,
        worst,
        best,
        orders: orders.max(1),
        precision: p / n,
        recall: r / n,
    }
}

/// Runs `storyline train stories`.
pub fn run(cfg: &Config, args: &TrainStoriesArgs, as_json: bool, quiet: bool) -> Result<ExitCode> {
    if args.out.is_none() && !args.leave_one_out {
        return Err(crate::UsageError("give --out FILE, --leave-one-out, or both".into()).into());
    }
    let started = Instant::now();
    let sets: Vec<Set> =
        args.data.iter().map(|d| load(cfg, d, &args.gold, !args.no_views, quiet)).collect::<Result<_>>()?;
    let mut report = Vec::new();
    if args.leave_one_out {
        if sets.len() < 2 {
            return Err(crate::UsageError("--leave-one-out needs at least two --data sets".into()).into());
        }
        for (i, held) in sets.iter().enumerate() {
            let others: Vec<&Set> =
                sets.iter().enumerate().filter(|&(j, _)| j != i).map(|(_, s)| s).collect();
            let model = train(&others, args, quiet);
            let names: Vec<&str> = others.iter().map(|s| s.name.as_str()).collect();
            report.push(evaluate(
                held,
                &model,
                &format!("left out (trained on {})", names.join(", ")),
                args.orders,
            ));
        }
    }
    if let Some(out) = &args.out {
        let all: Vec<&Set> = sets.iter().collect();
        let model = train(&all, args, quiet);
        std::fs::write(out, model.to_json()).with_context(|| format!("{}: cannot write", out.display()))?;
        if !quiet {
            eprintln!("wrote {}", out.display());
            for (name, w) in model.weights() {
                eprintln!("  {name:<22} {w:>9.4}");
            }
        }
        for set in &sets {
            report.push(evaluate(set, &model, "all sets (trained on it)", args.orders));
        }
    }
    if as_json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!("B-cubed F1 per set: file order, and the mean, worst and best of shuffled orders");
        for r in &report {
            println!(
                "  {:<44} {:>5} articles {:>4} stories  file {:.3}  mean {:.3} (P {:.3} R {:.3})  worst {:.3}  best {:.3}  [{} orders; {}]",
                r.set, r.articles, r.gold_stories, r.file_order, r.mean, r.precision, r.recall, r.worst, r.best,
                r.orders, r.trained_on
            );
        }
        if !quiet {
            eprintln!("{:.1} s", started.elapsed().as_secs_f64());
        }
    }
    Ok(ExitCode::SUCCESS)
}
