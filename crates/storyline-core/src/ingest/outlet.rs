//! Outlet names a reader would give: from what a page or feed says of itself, checked against
//! the host it comes from, with sections of one outlet folded into it.
//!
//! Pages and feeds name themselves in many ways, not all of them the outlet: a section
//! (`og:site_name` "U.S." on a wire page), a platform ("Hosted", "Blogger"), a slug
//! ("cleveland"), an address, or the outlet followed by a section or a tagline ("NOS Nieuws -
//! Algemeen", "LinkNaija | Nigeria"). [`outlet`] weighs the names a page or feed offers, in the
//! order given, and keeps the first that fits the host it was published on (its letters, its
//! words or its initials are the host's name), split from its section; a host in a short table
//! of known outlets is named by the table; with no fitting name, the host itself names the
//! outlet ("cleveland.com").
//!
//! ```
//! use storyline_core::ingest::outlet::outlet;
//!
//! let o = outlet(&["NOS Nieuws - Algemeen"], &["https://nos.nl/artikel/1"]).unwrap();
//! assert_eq!((o.name.as_str(), o.section.as_deref()), ("NOS", Some("Algemeen")));
//! let o = outlet(&["U.S.", "Reuters"], &["https://www.reuters.com/article/x"]).unwrap();
//! assert_eq!(o.name, "Reuters");
//! ```

/// An outlet and, when the name said so, the section of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outlet {
    /// The outlet's name.
    pub name: String,
    /// The section the name carried ("Binnenland" of "Vlaamse Tijding - Binnenland").
    pub section: Option<String>,
}

/// Hosts of outlets whose pages do not reliably name them (a section or platform in their
/// metadata, a slug, nothing), with the name readers use. Matched on the host or any domain
/// above it.
const KNOWN_HOSTS: &[(&str, &str)] = &[
    // Wires.
    ("reuters.com", "Reuters"),
    ("apnews.com", "AP"),
    ("ap.org", "AP"),
    ("afp.com", "AFP"),
    ("anp.nl", "ANP"),
    ("belga.be", "Belga"),
    ("dpa.com", "dpa"),
    // Dutch and Flemish outlets.
    ("nos.nl", "NOS"),
    ("nu.nl", "NU.nl"),
    ("rtl.nl", "RTL Nieuws"),
    ("rtlnieuws.nl", "RTL Nieuws"),
    ("volkskrant.nl", "de Volkskrant"),
    ("nrc.nl", "NRC"),
    ("telegraaf.nl", "De Telegraaf"),
    ("ad.nl", "AD"),
    ("trouw.nl", "Trouw"),
    ("parool.nl", "Het Parool"),
    ("fd.nl", "Het Financieele Dagblad"),
    ("omroepbrabant.nl", "Omroep Brabant"),
    ("standaard.be", "De Standaard"),
    ("vrt.be", "VRT NWS"),
    ("vrtnws.be", "VRT NWS"),
    ("hln.be", "HLN"),
    ("demorgen.be", "De Morgen"),
    ("nieuwsblad.be", "Het Nieuwsblad"),
    ("tijd.be", "De Tijd"),
    ("gva.be", "Gazet van Antwerpen"),
    ("knack.be", "Knack"),
    ("vtm.be", "VTM Nieuws"),
    ("rtbf.be", "RTBF"),
    ("lesoir.be", "Le Soir"),
    // International.
    ("nytimes.com", "The New York Times"),
    ("washingtonpost.com", "The Washington Post"),
    ("wsj.com", "The Wall Street Journal"),
    ("usatoday.com", "USA Today"),
    ("bbc.com", "BBC News"),
    ("bbc.co.uk", "BBC News"),
    ("theguardian.com", "The Guardian"),
    ("cnn.com", "CNN"),
    ("cbsnews.com", "CBS News"),
    ("nbcnews.com", "NBC News"),
    ("abcnews.go.com", "ABC News"),
    ("npr.org", "NPR"),
    ("bloomberg.com", "Bloomberg"),
    ("ft.com", "Financial Times"),
    ("economist.com", "The Economist"),
    ("aljazeera.com", "Al Jazeera"),
    ("dw.com", "DW"),
    ("euronews.com", "Euronews"),
    ("politico.eu", "Politico Europe"),
    ("politico.com", "Politico"),
    ("spiegel.de", "Der Spiegel"),
    ("zeit.de", "Die Zeit"),
    ("faz.net", "FAZ"),
    ("sueddeutsche.de", "Süddeutsche Zeitung"),
    ("tagesschau.de", "tagesschau"),
    ("lemonde.fr", "Le Monde"),
    ("lefigaro.fr", "Le Figaro"),
    ("liberation.fr", "Libération"),
    ("elpais.com", "El País"),
    ("corriere.it", "Corriere della Sera"),
    ("repubblica.it", "la Repubblica"),
];

/// Second-level suffixes under which the outlet's own label is one further down
/// (`thesun.co.uk`, `autoracing.com.br`).
const SECOND_LEVEL: &[&str] = &[
    "co.uk", "org.uk", "ac.uk", "gov.uk", "com.au", "net.au", "org.au", "co.nz", "co.za", "com.br", "net.br",
    "org.br", "gov.br", "edu.br", "co.jp", "ne.jp", "or.jp", "co.kr", "or.kr", "com.ar", "com.mx", "com.tr",
    "co.in", "com.sg", "com.hk", "com.cn", "co.il", "com.pl",
];

/// Separators between an outlet's name and a section or tagline.
const SEPARATORS: &[&str] = &[" | ", " - ", " – ", " — ", " · ", " :: ", ": "];

/// The host of an address (lowercase, without `www.` and a port), if it has one.
pub fn host_of(address: &str) -> Option<String> {
    let rest = address.trim().split_once("://").map_or(address.trim(), |(_, r)| r);
    let host =
        rest.split(['/', '?', '#']).next()?.rsplit('@').next()?.split(':').next()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).trim_end_matches('.').to_owned();
    (host.contains('.') && host.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-'))
        .then_some(host)
}

/// The registered domain of a host (`nos.nl` of `nos.nl`, `thesun.co.uk` of `thesun.co.uk`,
/// `ap.org` of `hosted.ap.org`).
fn registered_domain(host: &str) -> &str {
    let labels: Vec<&str> = host.split('.').collect();
    let n = labels.len();
    let keep = if n >= 3 && SECOND_LEVEL.contains(&labels[n - 2..].join(".").as_str()) {
        // A region code under such a suffix is a suffix too (`sc.gov.br`).
        if n >= 4 && labels[n - 3].len() <= 2 {
            4
        } else {
            3
        }
    } else {
        2
    };
    let start: usize = labels[..labels.len().saturating_sub(keep)].iter().map(|l| l.len() + 1).sum();
    &host[start..]
}

/// The outlet's own label of a host, letters and digits only (`pvmagazine` of
/// `pv-magazine.com`).
fn host_label(host: &str) -> String {
    let domain = registered_domain(host);
    domain.split('.').next().unwrap_or(domain).chars().filter(char::is_ascii_alphanumeric).collect()
}

/// The known outlet of a host or a domain above it.
fn known(host: &str) -> Option<&'static str> {
    let mut h = host;
    loop {
        if let Some(&(_, name)) = KNOWN_HOSTS.iter().find(|(k, _)| *k == h) {
            return Some(name);
        }
        h = h.split_once('.')?.1;
    }
}

/// Letters and digits of a name, lowercase.
fn squash(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Whether a name is the outlet's at host label `label`: its letters are the label's (or start
/// it, or it starts with them), a word of it is in the label, or its initials are the label.
fn fits(name: &str, label: &str) -> bool {
    let words: Vec<String> =
        name.split(|c: char| !c.is_alphanumeric()).map(squash).filter(|w| !w.is_empty()).collect();
    let squashed: String = words.concat();
    let without_the = words.iter().skip(usize::from(words.first().is_some_and(|w| w == "the"))).cloned();
    let bare: String = without_the.clone().collect();
    let initials: String = without_the.clone().filter_map(|w| w.chars().next()).collect();
    let label_len = label.chars().count();
    squashed == label
        || bare == label
        || (label_len >= 2 && (squashed.starts_with(label) || bare.starts_with(label)))
        || (bare.chars().count() >= 4 && label.starts_with(&bare))
        || (initials.chars().count() >= 2 && initials == label)
        || without_the.into_iter().any(|w| {
            w.chars().count() >= 4 && (label.contains(&w) || (label_len >= 4 && w.starts_with(label)))
        })
}

/// Drops trailing words that follow the outlet's name ("Slate Magazine" at `slate.com`,
/// "Business Insider Deutschland" at `businessinsider.com`): the shortest run of leading words
/// whose letters are the host label, when there is one.
fn trim_to_label(name: &str, label: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    for n in 1..words.len() {
        let head = words[..n].join(" ");
        if squash(&head) == label {
            return head;
        }
    }
    name.to_owned()
}

/// Whether a name is a slug of the host rather than a name (`cleveland` at `cleveland.com`).
fn is_slug(name: &str, label: &str) -> bool {
    !name.contains(char::is_whitespace)
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && name == label
}

/// The outlet named by `names` (the page's or feed's own names, most trusted first) for a
/// report published at `addresses` (the report's address first, then its feed's). `None` when
/// there is neither a name nor an address.
pub fn outlet(names: &[&str], addresses: &[&str]) -> Option<Outlet> {
    // An IP address (a server on a local network, a test) says nothing about whose site it is.
    let is_ip = |h: &String| h.split('.').all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_digit()));
    let hosts: Vec<String> = addresses.iter().filter_map(|a| host_of(a)).filter(|h| !is_ip(h)).collect();
    let mut hosts_from_names: Vec<String> = Vec::new();
    // Each name split into its parts ("NOS Nieuws", "Algemeen"); a name that is an address
    // only says which host.
    let mut offered: Vec<Vec<String>> = Vec::new();
    for name in names.iter().map(|n| n.split_whitespace().collect::<Vec<_>>().join(" ")) {
        if name.is_empty() {
            continue;
        }
        if name.starts_with("http://") || name.starts_with("https://") {
            hosts_from_names.extend(host_of(&name).filter(|h| !is_ip(h)));
            continue;
        }
        let mut parts = vec![name.clone()];
        for sep in SEPARATORS {
            parts = parts.iter().flat_map(|p| p.split(sep).map(str::trim).map(str::to_owned)).collect();
        }
        parts.retain(|p| !p.is_empty());
        offered.push(parts);
    }
    let host = hosts.first().or(hosts_from_names.first()).cloned();
    let label = host.as_deref().map(host_label);
    // The section: the second of two parts, unless it is the outlet's name again.
    let section_of = |parts: &[String], chosen: usize| -> Option<String> {
        if parts.len() != 2 {
            return None;
        }
        let other = &parts[1 - chosen];
        let alias = label.as_deref().is_some_and(|l| fits(other, l));
        (!alias).then(|| other.clone())
    };
    if let Some(name) =
        host.as_deref().and_then(known).or_else(|| hosts.iter().skip(1).find_map(|h| known(h)))
    {
        let section = offered.first().and_then(|parts| section_of(parts, 0));
        return Some(Outlet { name: name.to_owned(), section });
    }
    let mut chosen: Option<(String, Option<String>)> = None;
    for parts in &offered {
        let pick = match label.as_deref() {
            Some(l) => parts.iter().position(|p| fits(p, l) && !is_slug(p, l)),
            None => Some(0),
        };
        let Some(i) = pick else { continue };
        let name = label.as_deref().map_or_else(|| parts[i].clone(), |l| trim_to_label(&parts[i], l));
        match &chosen {
            None => chosen = Some((name, section_of(parts, i))),
            // A later name spelling the chosen one out ("The Hill" for "TheHill", "Wall Street
            // Journal" for "WSJ") is the better name.
            Some((first, section)) => {
                let (a, b) = (squash(first), squash(&name));
                let initials: String = name
                    .split_whitespace()
                    .filter_map(|w| w.chars().next())
                    .flat_map(char::to_lowercase)
                    .collect();
                if name.contains(' ') && !first.contains(' ') && (a == b || a == initials) {
                    chosen = Some((name, section.clone()));
                }
            }
        }
    }
    if let Some((name, section)) = chosen {
        return Some(Outlet { name, section });
    }
    host.map(|h| Outlet { name: registered_domain(&h).to_owned(), section: None })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(names: &[&str], addresses: &[&str]) -> String {
        outlet(names, addresses).map(|o| o.name).unwrap_or_default()
    }

    #[test]
    fn a_site_at_an_ip_address_is_named_by_its_own_names() {
        assert_eq!(name(&["Omroep Vechtdal"], &["http://127.0.0.1:8080/artikel/1.html"]), "Omroep Vechtdal");
        assert_eq!(name(&[], &["http://10.1.2.3/x", "https://vechtdal.example/rss"]), "vechtdal.example");
        assert_eq!(outlet(&[], &["http://127.0.0.1/x"]), None);
    }

    #[test]
    fn hosts_and_domains() {
        assert_eq!(host_of("https://www.Example.co.uk:8080/a/b?c").as_deref(), Some("example.co.uk"));
        assert_eq!(host_of("geen adres"), None);
        assert_eq!(registered_domain("hosted.ap.org"), "ap.org");
        assert_eq!(registered_domain("stad.sc.gov.br"), "stad.sc.gov.br");
        assert_eq!(registered_domain("www.thesun.co.uk"), "www.thesun.co.uk".trim_start_matches("www."));
        assert_eq!(host_label("pv-magazine.com"), "pvmagazine");
        assert_eq!(known("nieuws.nos.nl"), Some("NOS"));
    }

    #[test]
    fn a_name_must_fit_its_host() {
        // A section or platform in the metadata gives way to the next name, or to the host.
        assert_eq!(name(&["U.S.", "Reuters"], &["https://www.reuters.com/x"]), "Reuters");
        assert_eq!(name(&["Hosted"], &["https://hosted.ap.org/x"]), "AP");
        assert_eq!(name(&["Weekblad"], &["https://dorpskrant.example/x"]), "dorpskrant.example");
        // Slugs and addresses are no names.
        assert_eq!(name(&["cleveland"], &["https://www.cleveland.com/x"]), "cleveland.com");
        assert_eq!(name(&["https://www.polderpost.example"], &[]), "polderpost.example");
        // Names that fit by letters, words or initials.
        assert_eq!(name(&["Houston Chronicle"], &["https://www.chron.com/x"]), "Houston Chronicle");
        assert_eq!(name(&["De Scheldebode"], &["https://scheldebode.example/a"]), "De Scheldebode");
        assert_eq!(name(&["TheHill", "The Hill"], &["https://thehill.com/x"]), "The Hill");
        assert_eq!(
            name(&["WSJ", "Wall Street Journal"], &["https://www.wsj.example/x"]),
            "Wall Street Journal"
        );
        // Trailing words and taglines go.
        assert_eq!(name(&["Slate Magazine"], &["https://slate.com/x"]), "Slate");
        assert_eq!(name(&["LinkNaija | Nigeria"], &["https://www.linknaija.com/x"]), "LinkNaija");
        assert_eq!(
            name(&["The Jerusalem Post | JPost.com"], &["https://www.jpost.com/x"]),
            "The Jerusalem Post"
        );
        // Without an address, the first name is taken as it is.
        assert_eq!(name(&["Havenkrant"], &[]), "Havenkrant");
        assert_eq!(outlet(&[], &[]), None);
    }

    #[test]
    fn a_feed_title_gives_the_outlet_and_its_section() {
        let o = outlet(&["Vlaamse Tijding - Binnenland"], &["https://vlaamsetijding.example/b/1"]).unwrap();
        assert_eq!(o, Outlet { name: "Vlaamse Tijding".into(), section: Some("Binnenland".into()) });
        let o = outlet(&["Vlaamse Tijding"], &["https://vlaamsetijding.example/b/1"]).unwrap();
        assert_eq!(o.section, None);
        // The feed's own address names the outlet when the item's is another host.
        let o =
            outlet(&["NU - Economie"], &["https://feeds.example/x", "https://www.nu.nl/economie"]).unwrap();
        assert_eq!((o.name.as_str(), o.section.as_deref()), ("NU.nl", Some("Economie")));
    }

    /// Feeds of our own writing shaped like the Dutch and Flemish outlets' (their channel
    /// titles carry the section), and wire pages whose metadata names a section or a platform.
    #[test]
    fn feeds_and_wire_pages_shaped_like_the_outlets_are_named_as_readers_name_them() {
        let feed = |title: &str, home: &str, item: &str| {
            format!(
                "<rss version=\"2.0\"><channel><title>{title}</title><link>{home}</link>\
                 <item><title>Gemeente sluit zwembad</title><link>{item}</link>\
                 <description>Het zwembad blijft tot de zomer dicht voor onderhoud.</description></item>\
                 </channel></rss>"
            )
        };
        let cases = [
            (
                "NOS Nieuws - Algemeen",
                "https://nos.nl",
                "https://nos.nl/artikel/2550001-zwembad",
                "NOS",
                Some("Algemeen"),
            ),
            (
                "NU - Algemeen",
                "https://www.nu.nl",
                "https://www.nu.nl/binnenland/6330001/zwembad.html",
                "NU.nl",
                Some("Algemeen"),
            ),
            (
                "De Standaard - Binnenland",
                "https://www.standaard.be",
                "https://www.standaard.be/cnt/dmf20250301_01",
                "De Standaard",
                Some("Binnenland"),
            ),
            (
                "VRT NWS - Binnenland",
                "https://www.vrt.be/vrtnws/nl/",
                "https://www.vrt.be/vrtnws/nl/2025/03/01/zwembad/",
                "VRT NWS",
                Some("Binnenland"),
            ),
            // An outlet no table knows: its title and its home page agree.
            (
                "Het Dorpsblad | Sport",
                "https://www.dorpsblad.example/",
                "https://www.dorpsblad.example/sport/1",
                "Het Dorpsblad",
                Some("Sport"),
            ),
        ];
        for (title, home, item, name, section) in cases {
            let items = crate::ingest::feed::parse_feed(feed(title, home, item).as_bytes()).unwrap();
            let a = items.into_iter().next().unwrap().unwrap();
            assert_eq!(a.source.as_deref(), Some(name), "{title}");
            assert_eq!(a.metadata.get("section").map(String::as_str), section, "{title}");
        }
        // Sections of one outlet are one outlet.
        let sections: Vec<String> =
            ["Vlaamse Tijding", "Vlaamse Tijding - Binnenland", "Vlaamse Tijding - Buitenland"]
                .iter()
                .map(|t| {
                    let items = crate::ingest::feed::parse_feed(
                        feed(t, "https://vlaamsetijding.example/", "https://vlaamsetijding.example/a/1")
                            .as_bytes(),
                    )
                    .unwrap();
                    items.into_iter().next().unwrap().unwrap().source.unwrap()
                })
                .collect();
        assert_eq!(sections, ["Vlaamse Tijding"; 3]);
        let page = |site: &str, canonical: &str| {
            format!(
                "<html><head><meta property=\"og:site_name\" content=\"{site}\"><link rel=\"canonical\" href=\"{canonical}\">\
                 <title>Havenstaking legt export stil</title></head><body><article><h1>Havenstaking legt export stil</h1>\
                 <p>Een staking van sjorders in de haven heeft de export van graan en staal een dag lang stilgelegd, meldden vakbonden en werkgevers.</p>\
                 <p>De bonden eisen een hogere toeslag voor nachtdiensten; de werkgevers willen eerst praten over de roosters.</p></article></body></html>"
            )
        };
        let reuters = crate::ingest::html::parse_html(
            page("U.S.", "https://www.reuters.com/article/havens").as_bytes(),
        )
        .unwrap();
        assert_eq!(reuters.source.as_deref(), Some("Reuters"));
        let ap =
            crate::ingest::html::parse_html(page("Hosted", "https://hosted.ap.org/article/1").as_bytes())
                .unwrap();
        assert_eq!(ap.source.as_deref(), Some("AP"));
    }
}
