//! Labelled names for training and scoring the name tagger: the CoNLL-2002 column format
//! (`word POS tag` a line, `B-`/`I-` tags, sentences separated by blank lines and documents by
//! `-DOCSTART-`), JSON Lines with gold `entities` (character offsets), and exact-span scoring
//! as the CoNLL shared tasks' `conlleval` counts it: a name is right when its span and its kind
//! both are.

use serde::{Deserialize, Serialize};

use super::score::Counts;
use super::tagger::Example;
use super::{EntityType, Span};

/// The kind a CoNLL type names (`PER`, `ORG`, `LOC`, `MISC`; also the analysis' own names,
/// `person`, `organization`, `place`, `other`).
pub fn kind_of(tag: &str) -> Option<EntityType> {
    Some(match tag {
        "PER" | "person" => EntityType::Person,
        "ORG" | "organization" => EntityType::Organization,
        "LOC" | "place" => EntityType::Place,
        "MISC" | "other" => EntityType::Other,
        _ => return None,
    })
}

/// The CoNLL type of a kind.
pub fn tag_of(kind: EntityType) -> &'static str {
    match kind {
        EntityType::Person => "PER",
        EntityType::Organization => "ORG",
        EntityType::Place => "LOC",
        EntityType::Other => "MISC",
    }
}

/// Why labelled names cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum ConllError {
    /// A line that is not `word ... tag`.
    #[error("line {line}: expected `word POS tag`, found {found:?}")]
    Line {
        /// Line number, from 1.
        line: usize,
        /// The line.
        found: String,
    },
    /// A tag that is not `O`, `B-X` or `I-X` of a known type.
    #[error("line {line}: unknown tag {tag:?}")]
    Tag {
        /// Line number, from 1.
        line: usize,
        /// The tag.
        tag: String,
    },
    /// A JSON line that does not parse or lacks `text`/`entities`.
    #[error("line {line}: {reason}")]
    Json {
        /// Line number, from 1.
        line: usize,
        /// Why.
        reason: String,
    },
}

/// Reads a CoNLL-2002 file (bytes as Latin-1, as the corpus is encoded) into one example per
/// document: tokens joined by spaces, one sentence a line.
pub fn read_conll(bytes: &[u8], language: &str) -> Result<Vec<Example>, ConllError> {
    let text: String = bytes.iter().map(|&b| char::from(b)).collect();
    let mut out = Vec::new();
    let mut doc = Example { text: String::new(), language: language.to_string(), names: Vec::new() };
    let mut open: Option<(usize, EntityType)> = None;
    let mut line_start = true;
    let close = |open: &mut Option<(usize, EntityType)>, doc: &mut Example| {
        if let Some((start, kind)) = open.take() {
            let end = doc.text.trim_end_matches(' ').len();
            doc.names.push((Span::new(start, end), kind));
        }
    };
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            close(&mut open, &mut doc);
            if !line_start {
                let t = doc.text.trim_end_matches(' ').len();
                doc.text.truncate(t);
                doc.text.push('\n');
                line_start = true;
            }
            continue;
        }
        let cols: Vec<&str> = line.split(' ').collect();
        if cols[0] == "-DOCSTART-" {
            close(&mut open, &mut doc);
            if !doc.text.trim().is_empty() {
                let full = std::mem::replace(
                    &mut doc,
                    Example { text: String::new(), language: language.to_string(), names: Vec::new() },
                );
                out.push(full);
            }
            doc.text.clear();
            doc.names.clear();
            line_start = true;
            continue;
        }
        if cols.len() < 2 {
            return Err(ConllError::Line { line: n + 1, found: line.to_string() });
        }
        let (word, tag) = (cols[0], cols[cols.len() - 1]);
        // A name closes before the word that does not continue it.
        let continues = match tag.split_once('-') {
            _ if tag == "O" => None,
            Some((bio, k)) => {
                let kind = kind_of(k).filter(|_| matches!(bio, "B" | "I"));
                let kind = kind.ok_or_else(|| ConllError::Tag { line: n + 1, tag: tag.to_string() })?;
                Some((bio == "I" && open.is_some_and(|(_, o)| o == kind), kind))
            }
            None => return Err(ConllError::Tag { line: n + 1, tag: tag.to_string() }),
        };
        if !matches!(continues, Some((true, _))) {
            close(&mut open, &mut doc);
        }
        let start = doc.text.len();
        doc.text.push_str(word);
        doc.text.push(' ');
        line_start = false;
        if let Some((false, kind)) = continues {
            open = Some((start, kind));
        }
    }
    close(&mut open, &mut doc);
    if !doc.text.trim().is_empty() {
        out.push(doc);
    }
    for ex in &mut out {
        let t = ex.text.trim_end().len();
        ex.text.truncate(t);
    }
    Ok(out)
}

#[derive(Deserialize)]
struct GoldLine {
    #[serde(default)]
    id: Option<String>,
    text: String,
    #[serde(default)]
    language: Option<String>,
    entities: Vec<GoldName>,
}

/// A gold name in a JSON line: character offsets (or, without them, the name as written, found
/// in the text after the name before it) and a type.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GoldName {
    /// Start (characters).
    #[serde(default)]
    pub start: Option<usize>,
    /// End (characters).
    #[serde(default)]
    pub end: Option<usize>,
    /// The name as written.
    #[serde(default)]
    pub text: Option<String>,
    /// `PER`, `ORG`, `LOC` or `MISC` (or `person`, `organization`, `place`, `other`).
    #[serde(rename = "type")]
    pub kind: String,
}

/// Reads JSON Lines with `text` and gold `entities` (character offsets, CoNLL types) into
/// examples with byte spans; the id of each line comes back beside it.
pub fn read_jsonl(text: &str, default_language: &str) -> Result<Vec<(String, Example)>, ConllError> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let g: GoldLine = serde_json::from_str(line)
            .map_err(|e| ConllError::Json { line: n + 1, reason: e.to_string() })?;
        let bytes: Vec<usize> =
            g.text.char_indices().map(|(b, _)| b).chain(std::iter::once(g.text.len())).collect();
        let mut names = Vec::with_capacity(g.entities.len());
        let mut after = 0;
        for e in &g.entities {
            let kind = kind_of(&e.kind).ok_or_else(|| ConllError::Json {
                line: n + 1,
                reason: format!("unknown entity type {:?}", e.kind),
            })?;
            let span = match (e.start, e.end, &e.text) {
                (Some(a), Some(b), _) => {
                    let (Some(&s), Some(&t)) = (bytes.get(a), bytes.get(b)) else {
                        return Err(ConllError::Json {
                            line: n + 1,
                            reason: format!("entity {a}..{b} lies outside the text"),
                        });
                    };
                    Span::new(s, t)
                }
                (_, _, Some(written)) => {
                    let at = g.text[after..].find(written.as_str()).map(|i| i + after).ok_or_else(|| {
                        ConllError::Json {
                            line: n + 1,
                            reason: format!("entity {written:?} is not in the text"),
                        }
                    })?;
                    Span::new(at, at + written.len())
                }
                _ => {
                    return Err(ConllError::Json {
                        line: n + 1,
                        reason: "an entity needs `start` and `end`, or `text`".to_string(),
                    })
                }
            };
            after = span.end;
            names.push((span, kind));
        }
        let id = g.id.unwrap_or_else(|| format!("line {}", n + 1));
        let language = g.language.unwrap_or_else(|| default_language.to_string());
        out.push((id, Example { text: g.text, language, names }));
    }
    Ok(out)
}

/// Exact-span scores: all names, each kind, and spans alone (kind ignored, exact and
/// overlapping).
#[derive(Debug, Clone, Default, Serialize)]
pub struct NameScores {
    /// Every kind together (micro average).
    pub all: Counts,
    /// Per kind, in `PER`, `ORG`, `LOC`, `MISC` order.
    pub kinds: [Counts; 4],
    /// Spans alone, exact.
    pub untyped: Counts,
    /// Spans alone, overlapping: `true_positives` counts gold names some found name overlaps.
    pub overlap: Counts,
    /// Found names that overlap some gold name.
    pub overlap_found: usize,
}

fn kind_index(k: EntityType) -> usize {
    match k {
        EntityType::Person => 0,
        EntityType::Organization => 1,
        EntityType::Place => 2,
        EntityType::Other => 3,
    }
}

impl NameScores {
    /// Adds one document's names.
    pub fn add(&mut self, gold: &[(Span, EntityType)], found: &[(Span, EntityType)]) {
        for &(s, k) in gold {
            self.all.gold += 1;
            self.kinds[kind_index(k)].gold += 1;
            self.untyped.gold += 1;
            self.overlap.gold += 1;
            if found.iter().any(|(f, _)| f.overlaps(&s)) {
                self.overlap.true_positives += 1;
            }
        }
        for &(s, k) in found {
            self.all.predicted += 1;
            self.kinds[kind_index(k)].predicted += 1;
            self.untyped.predicted += 1;
            self.overlap.predicted += 1;
            if gold.iter().any(|(g, _)| g.overlaps(&s)) {
                self.overlap_found += 1;
            }
            if gold.contains(&(s, k)) {
                self.all.true_positives += 1;
                self.kinds[kind_index(k)].true_positives += 1;
            }
            if gold.iter().any(|(g, _)| *g == s) {
                self.untyped.true_positives += 1;
            }
        }
    }

    /// Overlap F1: precision is the share of found names that overlap a gold one, recall the
    /// share of gold names some found name overlaps.
    pub fn overlap_f1(&self) -> f64 {
        let p = if self.overlap.predicted == 0 {
            0.0
        } else {
            self.overlap_found as f64 / self.overlap.predicted as f64
        };
        let r = self.overlap.recall();
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conll_documents_sentences_and_names() {
        let src = "-DOCSTART- -DOCSTART- O\nDe Art O\nVlaamse Adj B-MISC\nregering N O\nvan Prep O\nJan N B-PER\nPeeters N I-PER\nzei V O\n. Punc O\n\nIn Prep O\nGent N B-LOC\n. Punc O\n\n-DOCSTART- -DOCSTART- O\nBrussel N B-LOC\nBrussel N B-LOC\n";
        let docs = read_conll(src.as_bytes(), "nl").unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].text, "De Vlaamse regering van Jan Peeters zei .\nIn Gent .");
        let names: Vec<(&str, EntityType)> =
            docs[0].names.iter().map(|(s, k)| (&docs[0].text[s.start..s.end], *k)).collect();
        assert_eq!(
            names,
            vec![
                ("Vlaamse", EntityType::Other),
                ("Jan Peeters", EntityType::Person),
                ("Gent", EntityType::Place)
            ]
        );
        // Two names of one kind side by side stay two.
        assert_eq!(docs[1].names.len(), 2);
        assert!(matches!(read_conll(b"De Art X-PER\n", "nl"), Err(ConllError::Tag { line: 1, .. })));
    }

    #[test]
    fn jsonl_offsets_are_characters() {
        let line = r#"{"id": "a", "text": "In België zei Peeters", "entities": [{"start": 3, "end": 9, "type": "LOC"}, {"start": 14, "end": 21, "type": "PER"}]}"#;
        let docs = read_jsonl(line, "nl").unwrap();
        let ex = &docs[0].1;
        assert_eq!(&ex.text[ex.names[0].0.start..ex.names[0].0.end], "België");
        assert_eq!(&ex.text[ex.names[1].0.start..ex.names[1].0.end], "Peeters");
    }

    #[test]
    fn scores_count_exact_spans_and_kinds() {
        let p = EntityType::Person;
        let gold = [(Span::new(0, 5), p), (Span::new(10, 15), EntityType::Place)];
        let found = [(Span::new(0, 5), p), (Span::new(10, 14), EntityType::Place), (Span::new(20, 22), p)];
        let mut s = NameScores::default();
        s.add(&gold, &found);
        assert_eq!(s.all, Counts { true_positives: 1, predicted: 3, gold: 2 });
        assert_eq!(s.kinds[0], Counts { true_positives: 1, predicted: 2, gold: 1 });
        assert_eq!(s.untyped.true_positives, 1);
        assert_eq!(s.overlap.true_positives, 2);
        assert_eq!(s.overlap_found, 2);
    }
}
