//! The dossier of a story: up to four reports made from the input (split at form feeds, each
//! analysed as ingest does), built into a dossier, and a comparison of the first two. Every
//! figure's evidence holds its figure, every timeline entry is one of the reports, and the
//! discrepancy flag a store keeps (read from the figures alone) agrees with the dossier.
#![no_main]

use libfuzzer_sys::fuzz_target;
use storyline_core::analyze::analyze;
use storyline_core::dossier::{self, Input};
use storyline_core::ingest::{prepare, PrepareOptions};
use storyline_core::{Published, RawArticle};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let days = ["2017-10-17", "2017-11-14T20:07:00+01:00", "", "2017-10"];
    let docs: Vec<_> = text
        .split('\u{c}')
        .take(4)
        .enumerate()
        .map(|(i, part)| {
            let raw = RawArticle {
                id: Some(format!("r{i}")),
                text: part.to_string(),
                language: Some(["nl", "en"][i % 2].into()),
                published: Published::parse(days[i]).ok(),
                source: Some(format!("Bron {}", i % 3)),
                ..RawArticle::default()
            };
            let article = prepare(raw, &PrepareOptions::default());
            let analysis = analyze(&article.text, &article.language.code, article.published);
            (article, analysis)
        })
        .collect();
    let inputs: Vec<Input<'_>> = docs.iter().map(|(a, x)| Input::new(a, x)).collect();
    let d = dossier::build(1, None, &inputs);
    assert_eq!(d.articles.len(), inputs.len());
    for v in d.figures.iter().flat_map(|f| &f.values).chain(d.discrepancies.iter().flat_map(|x| &x.values)) {
        assert!(v.sentence.contains(&v.text), "`{}` not in its evidence", v.text);
        assert!(v.sentence.chars().count() <= dossier::MAX_EVIDENCE_CHARS + 4);
    }
    let state = dossier::discrepancy_state(&inputs);
    assert_eq!(state.any(), !d.discrepancies.is_empty(), "{state:?}: {:#?}", d.discrepancies);
    assert_eq!(dossier::has_discrepancies(&inputs), state.any());
    if docs.len() >= 2 {
        let (a, b) = (Input::new(&docs[0].0, &docs[0].1), Input::new(&docs[1].0, &docs[1].1));
        let _ = dossier::compare(a, b, &Default::default());
    }
});
