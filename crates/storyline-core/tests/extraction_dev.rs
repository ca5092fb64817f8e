//! HTML extraction on the real pages of `../shared/data/extraction-dev` (read in place, skipped
//! when absent): every page that has an article gives text, none panics, and the words-run F1
//! over the pages stays at the level measured when the extractor was chosen (0.959; the floor
//! leaves room for the bootstrap error of ±0.007, not for a regression).

use std::io::Read;

use storyline_core::eval::{extraction_scores, text_overlap};
use storyline_core::ingest::html::parse_html;

/// One dev page: its id, gold text, gold address and bytes.
type Page = (String, String, String, Vec<u8>);

/// The dev pages, or `None` when the data is absent.
fn dev_pages() -> Option<Vec<Page>> {
    let dir = format!("{}/../../../shared/data/extraction-dev", env!("CARGO_MANIFEST_DIR"));
    let Ok(truth) = std::fs::read(format!("{dir}/ground-truth.json")) else {
        eprintln!("{dir} not present; skipped");
        return None;
    };
    let truth: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(&truth).unwrap();
    let pages = truth
        .iter()
        .map(|(id, page)| {
            let mut bytes = Vec::new();
            let file = std::fs::File::open(format!("{dir}/html/{id}.html.gz")).unwrap();
            flate2::read::GzDecoder::new(file).read_to_end(&mut bytes).unwrap();
            let gold = page["articleBody"].as_str().unwrap_or("").to_owned();
            (id.clone(), gold, page["url"].as_str().unwrap_or("").to_owned(), bytes)
        })
        .collect();
    Some(pages)
}

#[test]
fn dev_pages_give_their_article_text() {
    let Some(pages) = dev_pages() else { return };
    let mut overlaps = Vec::new();
    let mut without_text = Vec::new();
    for (id, gold, _, bytes) in &pages {
        let extracted = std::panic::catch_unwind(|| parse_html(bytes))
            .unwrap_or_else(|_| panic!("page {id} panicked"))
            .map(|a| a.text)
            .unwrap_or_default();
        if extracted.trim().is_empty() && !gold.trim().is_empty() {
            without_text.push(id.clone());
        }
        overlaps.push(text_overlap(gold, &extracted));
    }
    let (p, r, f1) = extraction_scores(&overlaps);
    eprintln!("extraction-dev: {} pages, P {p:.3} R {r:.3} F1 {f1:.3}", overlaps.len());
    assert!(without_text.is_empty(), "pages without text: {without_text:?}");
    assert!(f1 >= 0.94, "F1 {f1:.3} fell below 0.94");
}

/// The outlet a reader would name for each host of the dev pages (alternatives separated by
/// `|`; `-` where the page names neither itself nor its address, so nothing can be named).
const READER_OUTLETS: &[(&str, &str)] = &[
    ("9to5mac.com", "9to5Mac"),
    ("appleinsider.com", "AppleInsider"),
    ("blog.comwrap.com", "Comwrap|comwrap.com"),
    ("blog.givewell.org", "GiveWell|The GiveWell Blog"),
    ("comoeducarseusfilhos.com.br", "Como Educar Seus Filhos"),
    ("digg.com", "Digg"),
    ("entermedia.co.kr", "Entermedia|-"),
    ("gizmodo.com", "Gizmodo"),
    ("gto-normativy.ru", "gto-normativy.ru|-"),
    ("hosted.ap.org", "AP|Associated Press"),
    ("jaraguadosul.com.br", "Prefeitura de Jaraguá do Sul|jaraguadosul.sc.gov.br"),
    ("jeongdongtheater.com", "Jeongdong Theater"),
    ("kabarislamia.com", "Kabar tentang Dunia Islam|Kabar Islamia"),
    ("mspoweruser.com", "MSPoweruser"),
    ("my6sense.com", "my6sense|my6sense.com"),
    ("note100yen.com", "ノート100YEN.com|note100yen.com"),
    ("nypost.com", "New York Post"),
    ("slate.com", "Slate"),
    ("sputniknews.com", "Sputnik|sputniknews.com"),
    ("theantijunecleaver.com", "The Anti-June Cleaver"),
    ("thehill.com", "The Hill"),
    ("therealdeal.com", "The Real Deal"),
    ("venturebeat.com", "VentureBeat"),
    ("vortexcannon.org", "vortexcannon.org|-"),
    ("vse-diety.com", "vse-diety.com|-"),
    ("www.ascom.com", "Ascom|-"),
    ("www.autoracing.com.br", "Autoracing"),
    ("www.beachbodyondemand.com", "The Beachbody Blog|Beachbody"),
    ("www.bbc.com", "BBC News|BBC"),
    ("www.bigbrandsystem.com", "BIG Brand System"),
    ("www.businessinsider.com", "Business Insider"),
    ("www.cbsnews.com", "CBS News"),
    ("www.cbssports.com", "CBS Sports|CBSSports.com"),
    ("www.chron.com", "Houston Chronicle"),
    ("www.cleveland.com", "cleveland.com"),
    ("www.cnbc.com", "CNBC"),
    ("www.cnn.com", "CNN"),
    ("www.crn.com", "CRN"),
    ("www.ctvnews.ca", "CTV News"),
    ("www.deccanherald.com", "Deccan Herald"),
    ("www.detroitnews.com", "The Detroit News"),
    ("www.expapp.com", "Experience|expapp.com"),
    ("www.floridatoday.com", "Florida Today"),
    ("www.foxbusiness.com", "Fox Business"),
    ("www.foxnews.com", "Fox News"),
    ("www.ign.com", "IGN"),
    ("www.inexhibit.com", "Inexhibit"),
    ("www.jpost.com", "The Jerusalem Post"),
    ("www.lhpat-tm.com", "特許業務法人ライトハウス国際特許事務所|lhpat-tm.com"),
    ("www.linknaija.com", "LinkNaija"),
    ("www.mensagensreflexao.com.br", "Mensagens de Reflexão"),
    ("www.moneycontrol.com", "Moneycontrol"),
    ("www.morebikes.co.uk", "MoreBikes"),
    // Syndicated copies whose canonical address is the original publisher's.
    ("www.msn.com", "MSN|CNN|NBC News"),
    ("www.nbcnews.com", "NBC News"),
    ("www.newsnation.in", "News Nation"),
    ("www.newsweek.com", "Newsweek"),
    ("www.nj.com", "NJ.com|nj.com"),
    ("www.nytimes.com", "The New York Times"),
    ("www.panarmenian.net", "PanARMENIAN.Net|PanARMENIAN"),
    ("www.politifact.com", "PolitiFact"),
    ("www.pv-magazine.com", "pv magazine"),
    ("www.reuters.com", "Reuters"),
    ("www.rt.com", "RT"),
    ("www.sciencealert.com", "ScienceAlert"),
    ("www.slashgear.com", "SlashGear"),
    ("www.smithsonianmag.com", "Smithsonian|Smithsonian Magazine"),
    ("www.snopes.com", "Snopes|Snopes.com"),
    ("www.sportsnet.ca", "Sportsnet|Sportsnet.ca"),
    ("www.theguardian.com", "The Guardian"),
    ("www.theparadigmng.com", "The Paradigm"),
    ("www.therepublic.com", "The Republic"),
    ("www.thespacereview.com", "The Space Review|-"),
    ("www.thesun.co.uk", "The Sun"),
    ("www.theverge.com", "The Verge"),
    ("www.twincities.com", "Twin Cities|Pioneer Press"),
    ("www.usatoday.com", "USA Today"),
    ("www.vg247.com", "VG247"),
    ("www.vox.com", "Vox"),
    ("www.wday.ru", "WDay.ru|wday.ru"),
    ("www.wsj.com", "The Wall Street Journal|Wall Street Journal|WSJ"),
    ("www.zdnet.com", "ZDNet"),
];

#[test]
fn dev_pages_name_the_outlet_a_reader_would() {
    let Some(pages) = dev_pages() else { return };
    let mut wrong = Vec::new();
    for (_, _, url, bytes) in &pages {
        // The gold address says which outlet the page is from; the page is read without it.
        let host = url.split("://").nth(1).unwrap().split('/').next().unwrap();
        let expected = READER_OUTLETS
            .iter()
            .find(|(h, _)| *h == host)
            .unwrap_or_else(|| panic!("no reader's outlet for {host}"))
            .1;
        let got = parse_html(bytes).unwrap().source.unwrap_or_else(|| "-".to_owned());
        if !expected.split('|').any(|e| e == got) {
            wrong.push(format!("{host}: `{got}`, a reader says `{expected}`"));
        }
    }
    assert!(wrong.is_empty(), "{} of {} pages:\n{}", wrong.len(), pages.len(), wrong.join("\n"));
}
