//! `storyline train names` (train the name tagger on labelled text) and `storyline eval FILE
//! --gold entities` (score the analysis' names against gold names, exact span and kind).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::Args;
use serde::Serialize;
use storyline_core::analyze::conll::{read_conll, read_jsonl, tag_of, NameScores};
use storyline_core::analyze::tagger::{self, Example, FeatureSet, Model, TrainOptions};
use storyline_core::analyze::{analyze, Document, EntityType, Span};

/// `storyline train names`.
#[derive(Args)]
pub struct TrainNamesArgs {
    /// Training data: CoNLL-2002 columns (`word POS tag`) or JSON Lines with `entities`;
    /// several files may be given, and a file given twice counts twice
    #[arg(long, value_name = "FILE", required = true)]
    pub train: Vec<PathBuf>,
    /// Development data to report on after every epoch (same formats)
    #[arg(long, value_name = "FILE")]
    pub dev: Option<PathBuf>,
    /// Where to write the model
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Language of the data
    #[arg(long, default_value = "nl")]
    pub language: String,
    /// Passes over the training data
    #[arg(long, default_value_t = 12)]
    pub epochs: usize,
    /// Seed of the order the sentences are seen in
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Drop features whose weights all stay within this of zero (a smaller model)
    #[arg(long, default_value_t = 1.0)]
    pub prune: f32,
    /// Which features the model reads: `full` (every word as itself) or `transfer` (only
    /// name-like words as themselves, every other word as its word-list class), for a model
    /// trained in one language and used in another
    #[arg(long, value_enum, default_value = "full")]
    pub features: Features,
    /// Also write the training and development features and gold labels here, in CRFsuite's
    /// text format (`TRAIN.crfsuite`, `DEV.crfsuite`), for training with another learner
    #[arg(long, value_name = "DIR")]
    pub dump: Option<PathBuf>,
}

/// The feature sets `--features` offers (see `tagger::FeatureSet`).
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Features {
    /// Every word as itself
    Full,
    /// Name-like words as themselves, the others as their word-list class
    Transfer,
}

impl From<Features> for FeatureSet {
    fn from(f: Features) -> Self {
        match f {
            Features::Full => FeatureSet::Full,
            Features::Transfer => FeatureSet::Transfer,
        }
    }
}

/// Writes examples' token features and gold labels in CRFsuite's text format: a line per
/// token (`LABEL<TAB>feature...`), a blank line after each sentence.
fn dump(examples: &[Example], set: FeatureSet, path: &Path) -> Result<()> {
    let file = std::fs::File::create(path).with_context(|| format!("{}: cannot create", path.display()))?;
    let mut out = std::io::BufWriter::new(file);
    let mut feats = tagger::TokenFeatures::default();
    for ex in examples {
        let doc = Document::new(&ex.text, &ex.language, None);
        tagger::features(&doc, set, &mut feats);
        let (gold, _) = tagger::gold_labels(&doc, &ex.names);
        for range in tagger::sentence_ranges(&doc) {
            for i in range {
                write!(out, "{}", tagger::LABELS[gold[i] as usize])?;
                for f in feats.of(i) {
                    write!(out, "\tf{f:x}")?;
                }
                writeln!(out)?;
            }
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(())
}

/// Reads labelled names from a CoNLL or JSON Lines file.
pub fn read_examples(path: &Path, language: &str) -> Result<Vec<Example>> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).with_context(|| format!("{name}: cannot read"))?;
    let jsonl = bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    let examples = if jsonl {
        let text = String::from_utf8(bytes).with_context(|| format!("{name}: not UTF-8"))?;
        let examples: Vec<Example> = read_jsonl(&text, language)
            .with_context(|| format!("{name}: cannot read names"))?
            .into_iter()
            .map(|(_, e)| e)
            .collect();
        // Names given as written come from the project's own annotated articles, which leave
        // nationality words out: they are marked as CoNLL marks them, as other names.
        if text.contains("\"start\"") {
            examples
        } else {
            examples.into_iter().map(mark_nationalities).collect()
        }
    } else {
        read_conll(&bytes, language).with_context(|| format!("{name}: cannot read names"))?
    };
    if examples.is_empty() {
        bail!("{name}: no labelled text");
    }
    Ok(examples)
}

/// Marks the capitalised nationality words outside the example's names as other names.
fn mark_nationalities(mut ex: Example) -> Example {
    let doc = Document::new(&ex.text, &ex.language, None);
    let mut extra = Vec::new();
    for t in &doc.tokens {
        let span = Span::new(t.start, t.end);
        let w = doc.slice(span);
        let probe = storyline_core::analyze::Entity {
            text: w.to_string(),
            kind: EntityType::Other,
            key: String::new(),
            role: None,
            start: t.start,
            end: t.end,
        };
        let upper = w.chars().next().is_some_and(char::is_uppercase);
        if upper && probe.is_nationality() && !ex.names.iter().any(|(s, _)| s.overlaps(&span)) {
            extra.push((span, EntityType::Other));
        }
    }
    ex.names.extend(extra);
    ex.names.sort_by_key(|(s, _)| (s.start, s.end));
    ex
}

/// Scores the tagger alone (no keys, roles or joining) on examples.
fn tagger_scores(model: &Model, examples: &[Example]) -> NameScores {
    let mut s = NameScores::default();
    for ex in examples {
        let doc = Document::new(&ex.text, &ex.language, None);
        let found = tagger::spans(&doc, &model.tag(&doc));
        s.add(&ex.names, &found);
    }
    s
}

/// Runs `storyline train names`.
pub fn train(args: &TrainNamesArgs, quiet: bool) -> Result<ExitCode> {
    let started = Instant::now();
    let mut train = Vec::new();
    for path in &args.train {
        train.extend(read_examples(path, &args.language)?);
    }
    let dev = match &args.dev {
        Some(p) => read_examples(p, &args.language)?,
        None => Vec::new(),
    };
    if let Some(dir) = &args.dump {
        std::fs::create_dir_all(dir).with_context(|| format!("{}: cannot create", dir.display()))?;
        dump(&train, args.features.into(), &dir.join("train.crfsuite"))?;
        dump(&dev, args.features.into(), &dir.join("dev.crfsuite"))?;
    }
    let opts = TrainOptions {
        epochs: args.epochs,
        seed: args.seed,
        prune: args.prune,
        features: args.features.into(),
    };
    let mut err = std::io::stderr().lock();
    let model = tagger::train(&train, &[], &opts, |r, model| {
        if quiet {
            return;
        }
        let dev = if dev.is_empty() {
            String::new()
        } else {
            let s = tagger_scores(model, &dev);
            let kinds: Vec<String> = ["PER", "ORG", "LOC", "MISC"]
                .iter()
                .zip(&s.kinds)
                .map(|(k, c)| format!("{k} {:.3}", c.f1()))
                .collect();
            format!(
                " · dev F1 {:.4} (P {:.4} R {:.4}; {})",
                s.all.f1(),
                s.all.precision(),
                s.all.recall(),
                kinds.join(", ")
            )
        };
        let _ = writeln!(
            err,
            "epoch {:>2}: {} sentences wrong · {} features{dev} · {:.0} s",
            r.epoch,
            r.mistakes,
            model.len(),
            started.elapsed().as_secs_f64()
        );
    });
    let bytes = model.to_bytes();
    std::fs::write(&args.out, &bytes).with_context(|| format!("{}: cannot write", args.out.display()))?;
    if !quiet {
        println!("wrote {} ({} features, {} bytes)", args.out.display(), model.len(), bytes.len());
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct KindReport {
    kind: &'static str,
    precision: f64,
    recall: f64,
    f1: f64,
    gold: usize,
    found: usize,
}

#[derive(Serialize)]
struct Report {
    documents: usize,
    precision: f64,
    recall: f64,
    f1: f64,
    kinds: Vec<KindReport>,
    untyped_f1: f64,
    overlap_f1: f64,
    mb_per_s: f64,
    /// The most frequent errors: gold name (`-`: none) and what was found (`-`: nothing).
    errors: Vec<NameError>,
}

#[derive(Serialize)]
struct NameError {
    gold: String,
    found: String,
    count: usize,
}

/// Runs `storyline eval FILE --gold entities`: the whole analysis on each text, its names
/// against the gold names.
pub fn eval(file: &Path, errors: usize, as_json: bool) -> Result<ExitCode> {
    let name = file.display().to_string();
    let text = std::fs::read_to_string(file).with_context(|| format!("{name}: cannot read"))?;
    let docs = read_jsonl(&text, "nl").with_context(|| format!("{name}: cannot read names"))?;
    let mut scores = NameScores::default();
    // The model is read on first use: not part of the speed.
    if let Some((_, ex)) = docs.first() {
        analyze(&ex.text, &ex.language, None);
    }
    let started = Instant::now();
    let mut bytes = 0usize;
    // Wrong names: (what gold says, what was found) -> count.
    let mut wrong: std::collections::HashMap<(String, String), usize> = std::collections::HashMap::new();
    for (_, ex) in &docs {
        bytes += ex.text.len();
        let analysis = analyze(&ex.text, &ex.language, None);
        // Character offsets back to bytes.
        let starts: Vec<usize> =
            ex.text.char_indices().map(|(b, _)| b).chain(std::iter::once(ex.text.len())).collect();
        let found: Vec<(Span, EntityType)> = analysis
            .entities
            .iter()
            .map(|e| {
                (
                    Span::new(starts[e.start.min(starts.len() - 1)], starts[e.end.min(starts.len() - 1)]),
                    e.kind,
                )
            })
            .collect();
        scores.add(&ex.names, &found);
        let show = |s: &Span, k: EntityType| format!("{} {}", tag_of(k), &ex.text[s.start..s.end]);
        for (g, gk) in &ex.names {
            if found.contains(&(*g, *gk)) {
                continue;
            }
            let f = found.iter().find(|(f, _)| f.overlaps(g)).map_or("-".to_string(), |(f, k)| show(f, *k));
            *wrong.entry((show(g, *gk), f)).or_default() += 1;
        }
        for (f, fk) in &found {
            if !ex.names.iter().any(|(g, _)| g.overlaps(f)) {
                *wrong.entry(("-".to_string(), show(f, *fk))).or_default() += 1;
            }
        }
    }
    let mut wrong: Vec<((String, String), usize)> = wrong.into_iter().collect();
    wrong.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let secs = started.elapsed().as_secs_f64();
    let kinds = [EntityType::Person, EntityType::Organization, EntityType::Place, EntityType::Other]
        .iter()
        .zip(&scores.kinds)
        .map(|(&k, c)| KindReport {
            kind: tag_of(k),
            precision: c.precision(),
            recall: c.recall(),
            f1: c.f1(),
            gold: c.gold,
            found: c.predicted,
        })
        .collect();
    let report = Report {
        documents: docs.len(),
        precision: scores.all.precision(),
        recall: scores.all.recall(),
        f1: scores.all.f1(),
        kinds,
        untyped_f1: scores.untyped.f1(),
        overlap_f1: scores.overlap_f1(),
        mb_per_s: bytes as f64 / 1e6 / secs.max(1e-9),
        errors: wrong
            .into_iter()
            .take(errors)
            .map(|((gold, found), count)| NameError { gold, found, count })
            .collect(),
    };
    let mut out = std::io::stdout().lock();
    if as_json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        writeln!(out, "{name}: {} documents, {} gold names", report.documents, scores.all.gold)?;
        writeln!(
            out,
            "names, exact span and kind: P {:.4}  R {:.4}  F1 {:.4}",
            report.precision, report.recall, report.f1
        )?;
        for k in &report.kinds {
            writeln!(
                out,
                "  {:<5} P {:.4}  R {:.4}  F1 {:.4}  ({} gold, {} found)",
                k.kind, k.precision, k.recall, k.f1, k.gold, k.found
            )?;
        }
        writeln!(
            out,
            "spans alone: exact F1 {:.4} · overlapping F1 {:.4}",
            report.untyped_f1, report.overlap_f1
        )?;
        writeln!(out, "analysis speed: {:.2} MB/s", report.mb_per_s)?;
        if !report.errors.is_empty() {
            writeln!(out, "most frequent errors (gold -> found):")?;
            for e in &report.errors {
                writeln!(out, "  {:>3}× {} -> {}", e.count, e.gold, e.found)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
