//! The OpenAPI 3.1 document of every route, written by hand and served at
//! `/api/openapi.json`. A test keeps it and [`crate::ROUTES`] in step.

use serde_json::{json, Value};

fn param(name: &str, place: &str, description: &str, schema: Value) -> Value {
    json!({ "name": name, "in": place, "required": place == "path", "description": description, "schema": schema })
}

fn date(name: &str, description: &str) -> Value {
    param(
        name,
        "query",
        description,
        json!({ "type": "string", "examples": ["2017-10-15", "2017-10", "2017-10-15T14:05:00Z"] }),
    )
}

fn text(name: &str, description: &str) -> Value {
    param(name, "query", description, json!({ "type": "string" }))
}

fn number(name: &str, description: &str) -> Value {
    param(name, "query", description, json!({ "type": "integer", "minimum": 0 }))
}

fn error(description: &str) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } })
}

fn ok_json(description: &str, schema: Value) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": schema } } })
}

fn page(summary: &str, parameters: Vec<Value>) -> Value {
    json!({ "get": {
        "tags": ["pages"],
        "summary": summary,
        "parameters": parameters,
        "responses": {
            "200": { "description": "An HTML page.", "content": { "text/html": { "schema": { "type": "string" } } } },
            "400": { "description": "Malformed parameters: an HTML error page." },
            "404": { "description": "Unknown id: an HTML error page." }
        }
    }})
}

/// An Atom feed route.
fn feed(summary: &str, parameters: Vec<Value>) -> Value {
    json!({ "get": {
        "tags": ["pages"],
        "summary": summary,
        "parameters": parameters,
        "responses": {
            "200": { "description": "An Atom feed (RFC 4287).", "content": { "application/atom+xml": { "schema": { "type": "string" } } } },
            "400": error("A parameter does not read."),
            "404": error("No such story.")
        }
    }})
}

fn asset(summary: &str, media: &str) -> Value {
    json!({ "get": {
        "tags": ["pages"],
        "summary": summary,
        "responses": { "200": { "description": "The file, embedded in the binary.", "content": { media: { "schema": { "type": "string" } } } } }
    }})
}

/// The document.
pub fn document() -> Value {
    let list_filters = || {
        vec![
            date("since", "Published (articles) or active (stories) on or after this date."),
            date("until", "Published (articles) or started (stories) before the end of this date's period."),
            text("source", "Only this outlet (case-insensitive)."),
            text("language", "Only this language code (nl, en, ...)."),
        ]
    };
    let paging = |default: u32| {
        vec![
            number("limit", &format!("At most this many (default {default}, capped at the server's page size, 200 by default).")),
            number("offset", "Skip this many first."),
        ]
    };
    let search_params = || {
        let mut p = vec![text(
            "q",
            "Words (matched through their Dutch and English stems), \"quoted phrases\" and prefix* words; every word must match (when no article has all, any will do).",
        )];
        p.extend(list_filters());
        p.push(text("entity", "Only articles naming this entity, by its key (ryan-dillon)."));
        p
    };
    let id = |what: &str| param("id", "path", what, json!({ "type": "string" }));
    let story_id = param("id", "path", "The story's id.", json!({ "type": "integer" }));
    let story_params = {
        let mut p = vec![story_id.clone()];
        p.extend(paging(200));
        p
    };
    let mut stories_params = list_filters();
    stories_params.push(number("min_articles", "Only stories with at least this many reports."));
    stories_params.push(param(
        "discrepancies",
        "query",
        "Only stories whose dossier lists a discrepancy, figures that disagree between reports (`true`), or only those whose dossier lists none (`false`). Any other value is a 400.",
        json!({ "type": "boolean" }),
    ));
    let mut api_stories_params = stories_params.clone();
    api_stories_params.extend(paging(50));
    let mut page_stories_params = stories_params.clone();
    page_stories_params.push(number("page", "The page, counting from 1."));
    let mut api_articles_params = list_filters();
    api_articles_params.push(param(
        "undated",
        "query",
        "Only articles without a publication date (`true`).",
        json!({ "type": "boolean" }),
    ));
    api_articles_params.extend(paging(50));
    let mut api_search_params = search_params();
    api_search_params.extend(paging(20));
    let mut page_search_params = search_params();
    page_search_params.push(number("page", "The page of hits, counting from 1."));

    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "storyline",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "News stories followed across outlets and over time: stories and their dossiers (timeline, what each report adds, quotes by speaker, figures and discrepancies), articles, full-text search, comparison, and ingest. Errors are JSON objects {\"error\": {\"code\", \"message\"}} with the codes bad_request (400), unauthorized (401), forbidden (403), not_found (404), method_not_allowed (405), payload_too_large (413), unsupported_media_type (415), conflict (409), unprocessable_entity (422) and internal (500)."
        },
        "tags": [
            { "name": "api", "description": "The JSON API." },
            { "name": "pages", "description": "The server-rendered web interface and its assets." }
        ],
        "paths": {
            "/": page("The stories, newest activity first, with filters.", page_stories_params),
            "/stories/{id}": page("A story's dossier.", vec![story_id.clone()]),
            "/articles/{id}": page("An article with its names, quotes and figures marked.", vec![id("The article's id or a unique prefix.")]),
            "/stories/{id}/feed.atom": feed("A story's reports as an Atom feed, newest first: a reader sees the story move.", vec![story_id.clone()]),
            "/search": page("Full-text search, hits grouped by story.", page_search_params.clone()),
            "/search/feed.atom": feed("A search's first hits as an Atom feed: a reader sees new matches.", search_params()),
            "/feeds": page("The followed feeds, pages and folders: each one's last visit, result, error and next visit.", vec![]),
            "/assets/style.css": asset("The stylesheet.", "text/css"),
            "/assets/app.js": asset("The small progressive script.", "text/javascript"),
            "/api/health": { "get": {
                "tags": ["api"], "summary": "Whether the server and its store answer, with counts.",
                "responses": {
                    "200": ok_json("Healthy.", json!({ "type": "object", "required": ["status", "articles", "stories"], "properties": {
                        "status": { "const": "ok" }, "articles": { "type": "integer" }, "stories": { "type": "integer" } } })),
                    "500": error("The store failed.")
                }
            }},
            "/api/openapi.json": { "get": {
                "tags": ["api"], "summary": "This document.",
                "responses": { "200": ok_json("The OpenAPI document.", json!({ "type": "object" })) }
            }},
            "/api/stories": { "get": {
                "tags": ["api"], "summary": "Stories matching the filters, newest activity first.",
                "parameters": api_stories_params,
                "responses": {
                    "200": ok_json("A page of stories.", json!({ "type": "object", "properties": {
                        "stories": { "type": "array", "items": { "$ref": "#/components/schemas/StorySummary" } },
                        "limit": { "type": "integer" }, "offset": { "type": "integer" }, "has_more": { "type": "boolean" } } })),
                    "400": error("A malformed date, number or true/false value (naming the parameter).")
                }
            }},
            "/api/stories/{id}": { "get": {
                "tags": ["api"], "summary": "A story's dossier: timeline, what each report adds, discrepancies, quotes by speaker, figures. The reports come in pages (`limit`, `offset`; `articles_total` and `has_more` beside them); the rest comes whole.",
                "parameters": story_params,
                "responses": {
                    "200": ok_json("The dossier.", json!({ "$ref": "#/components/schemas/Dossier" })),
                    "307": { "description": "The story was merged into another; `Location` names it.",
                        "headers": { "Location": { "schema": { "type": "string" } } } },
                    "400": error("The id is not a number."),
                    "404": error("No such story.")
                }
            }},
            "/api/articles": { "get": {
                "tags": ["api"], "summary": "Articles matching the filters, newest first.",
                "parameters": api_articles_params,
                "responses": {
                    "200": ok_json("A page of articles.", json!({ "type": "object", "properties": {
                        "articles": { "type": "array", "items": { "$ref": "#/components/schemas/ArticleSummary" } },
                        "limit": { "type": "integer" }, "offset": { "type": "integer" }, "has_more": { "type": "boolean" } } })),
                    "400": error("A malformed date or number.")
                }
            }},
            "/api/articles/{id}": { "get": {
                "tags": ["api"], "summary": "Everything stored about one article: text, metadata, copies, analysis, and (when its outlet revised it) its version and earlier versions with what each changed.",
                "parameters": [id("The article's id or a unique prefix.")],
                "responses": {
                    "200": ok_json("The article.", json!({ "type": "object" })),
                    "400": error("The prefix matches several articles."),
                    "404": error("No such article.")
                }
            }},
            "/api/search": { "get": {
                "tags": ["api"], "summary": "Full-text search, ranked by BM25, with matches marked.",
                "parameters": api_search_params,
                "responses": {
                    "200": ok_json("A page of hits.", json!({ "type": "object", "properties": {
                        "total": { "type": "integer", "description": "Matching articles, counted up to 10,000." },
                        "hits": { "type": "array", "items": { "$ref": "#/components/schemas/SearchHit" } },
                        "limit": { "type": "integer" }, "offset": { "type": "integer" }, "has_more": { "type": "boolean" } } })),
                    "400": error("A malformed date or number.")
                }
            }},
            "/api/compare": { "get": {
                "tags": ["api"], "summary": "Two stored articles side by side: one story or not, and what each adds.",
                "parameters": [
                    param("a", "query", "An article id or unique prefix.", json!({ "type": "string" })),
                    param("b", "query", "Another article id or unique prefix.", json!({ "type": "string" }))
                ],
                "responses": {
                    "200": ok_json("The comparison.", json!({ "type": "object" })),
                    "400": error("A or b is missing, or a prefix is ambiguous."),
                    "404": error("No such article.")
                }
            }},
            "/api/feeds": { "get": {
                "tags": ["api"], "summary": "The followed feeds, pages and folders (from the watcher's status file): each one's last visit, HTTP status, what it stored, its error and its next visit.",
                "responses": {
                    "200": ok_json("The statuses; `sources` is empty when no watch list has run.", json!({ "type": "object", "properties": {
                        "watching": { "type": "boolean", "description": "Whether this server runs the watch list itself (serve --watch)." },
                        "list": { "type": ["string", "null"], "description": "The watch list's file name." },
                        "updated": { "oneOf": [{ "$ref": "#/components/schemas/Published" }, { "type": "null" }], "description": "When the status was last written." },
                        "sources": { "type": "array", "items": { "$ref": "#/components/schemas/FeedStatus" } } } })),
                    "500": error("The status file cannot be read.")
                }
            }},
            "/api/ingest": { "post": {
                "tags": ["api"], "summary": "Store the articles of a JSON Lines or feed body.",
                "security": [{ "bearer": [] }],
                "parameters": [
                    text("source", "Outlet of every article sent, over the outlet a record names."),
                    date("published", "Publication date for articles without one."),
                    text("language", "Language for articles that declare none (skips detection).")
                ],
                "requestBody": { "required": true, "content": {
                    "application/x-ndjson": { "schema": { "type": "string" }, "description": "JSON Lines: one article per line with id and text." },
                    "application/jsonl": { "schema": { "type": "string" } },
                    "application/rss+xml": { "schema": { "type": "string" } },
                    "application/atom+xml": { "schema": { "type": "string" } },
                    "application/xml": { "schema": { "type": "string" } },
                    "text/xml": { "schema": { "type": "string" } }
                }},
                "responses": {
                    "200": ok_json("Every record was read and stored (as new or as already stored): what happened to each.", json!({ "type": "object", "properties": {
                        "records": { "type": "integer" }, "inserted": { "type": "integer" }, "near_duplicates": { "type": "integer" },
                        "duplicates": { "type": "integer" }, "revised": { "type": "integer" }, "failed": { "type": "integer" },
                        "errors": { "type": "array", "items": { "type": "object", "properties": { "record": { "type": "string" }, "reason": { "type": "string" } } } },
                        "articles": { "type": "array", "items": { "type": "object" } } } })),
                    "400": error("The body is empty or unreadable, or a parameter is malformed."),
                    "401": error("Missing or wrong bearer token."),
                    "403": error("The server was started without a token: writes are refused."),
                    "413": error("The body is too large."),
                    "415": error("Not a JSON Lines or feed content type."),
                    "422": ok_json("Some records could not be stored (unreadable, or their analysis failed); the body's other records were stored. The error object names the failed records; beside it are the fields of the 200 answer, with each failure in errors.", json!({ "type": "object", "required": ["error"], "properties": {
                        "error": { "$ref": "#/components/schemas/Error/properties/error" },
                        "records": { "type": "integer" }, "inserted": { "type": "integer" }, "near_duplicates": { "type": "integer" },
                        "duplicates": { "type": "integer" }, "revised": { "type": "integer" }, "failed": { "type": "integer" },
                        "errors": { "type": "array", "items": { "type": "object", "properties": { "record": { "type": "string" }, "reason": { "type": "string" } } } },
                        "articles": { "type": "array", "items": { "type": "object" } } } }))
                }
            }},
            "/api/corrections": {
                "get": {
                    "tags": ["api"],
                    "summary": "Corrections made, newest first: all, a story's history (those concerning a report now in it) or an article's.",
                    "parameters": [
                        number("story", "Only the history of this story (a merged-away number leads to the story that holds its reports)."),
                        text("article", "Only the corrections of this article (id or unique prefix)."),
                        number("limit", "At most this many.")
                    ],
                    "responses": {
                        "200": ok_json("The corrections.", json!({ "type": "object", "properties": { "corrections": { "type": "array", "items": { "$ref": "#/components/schemas/Correction" } } } })),
                        "400": error("A parameter is malformed, or both story and article were given."),
                        "404": error("No such article.")
                    }
                },
                "post": {
                    "tags": ["api"],
                    "summary": "Correct the machine: merge, split, move, pin, keep out, set an article's date, outlet or language, or undo a correction. Stored with its time and author; holds through recluster and every later ingest.",
                    "security": [{ "bearer": [] }],
                    "parameters": [ param("X-Storyline-Author", "header", "The author, when the body names none.", json!({ "type": "string" })) ],
                    "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["action"], "properties": {
                        "action": { "enum": ["merge", "split", "move", "pin", "keep_out", "set", "undo"] },
                        "author": { "type": "string", "description": "Who makes it (or the X-Storyline-Author header)." },
                        "story": { "type": "integer", "description": "merge: the story that goes; split: the story split." },
                        "into": { "type": "integer", "description": "merge: the story that stays." },
                        "articles": { "type": "array", "items": { "type": "string" }, "description": "split: the reports that move into a new story (not all)." },
                        "article": { "type": "string", "description": "move, pin, keep_out, set: the article (id or unique prefix)." },
                        "to": { "type": "integer", "description": "move: the story it belongs to." },
                        "published": { "$ref": "#/components/schemas/Published" },
                        "source": { "type": "string", "description": "set: the outlet." },
                        "language": { "type": "string", "description": "set: the language code." },
                        "correction": { "type": "integer", "description": "undo: the correction taken back." }
                    } }, "examples": {
                        "merge": { "value": { "action": "merge", "story": 41, "into": 12, "author": "Anna" } },
                        "split": { "value": { "action": "split", "story": 12, "articles": ["3f9c2e", "a71b04"], "author": "Anna" } },
                        "set": { "value": { "action": "set", "article": "3f9c2e", "published": "2017-11-14", "author": "Anna" } },
                        "undo": { "value": { "action": "undo", "correction": 7, "author": "Anna" } }
                    } } } },
                    "responses": {
                        "201": ok_json("Done: the stored correction.", json!({ "$ref": "#/components/schemas/Correction" })),
                        "400": error("Not a correction (an unknown action or field), or no author."),
                        "401": error("Missing or wrong bearer token."),
                        "403": error("The server was started without a token: writes are refused."),
                        "409": error("It cannot be carried out on the store as it is: an unknown story or article, a split that would leave nothing, an undo of what was undone.")
                    }
                }
            },
            "/api/corrections/pairs": { "get": {
                "tags": ["api"],
                "summary": "The labelled pairs of the corrections that stand, oldest first, as JSON Lines: two article ids, whether they report one story, the correction and its author. What a clustering model can learn from.",
                "parameters": [
                    number("story", "Only from the history of this story."),
                    text("article", "Only from the corrections of this article."),
                    number("limit", "From at most this many corrections.")
                ],
                "responses": {
                    "200": { "description": "One pair a line.", "content": { "application/x-ndjson": { "schema": { "type": "string" } } } },
                    "400": error("A parameter is malformed.")
                }
            }}
        },
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer", "description": "The STORYLINE_TOKEN the server was started with." } },
            "schemas": {
                "Error": { "type": "object", "required": ["error"], "properties": { "error": { "type": "object", "required": ["code", "message"], "properties": {
                    "code": { "enum": ["bad_request", "unauthorized", "forbidden", "not_found", "method_not_allowed", "payload_too_large", "unsupported_media_type", "conflict", "unprocessable_entity", "internal"] },
                    "message": { "type": "string" } } } } },
                "Correction": { "type": "object", "required": ["id", "at", "author", "summary", "detail"], "properties": {
                    "id": { "type": "integer" }, "at": { "type": "integer", "description": "When, in seconds since the epoch." },
                    "author": { "type": "string" }, "summary": { "type": "string", "description": "One line saying what it did." },
                    "detail": { "type": "object", "required": ["action"], "description": "What it did, with the article ids it concerned and the stories before and after." },
                    "undone_by": { "type": ["integer", "null"], "description": "The correction that took it back." } } },
                "Published": { "type": "string", "description": "A publication time at its precision: 2017, 2017-10, 2017-10-15 or RFC 3339." },
                "StorySummary": { "type": "object", "properties": {
                    "id": { "type": "integer" }, "title": { "type": "string" }, "articles": { "type": "integer" },
                    "sources": { "type": "array", "items": { "type": "string" } }, "languages": { "type": "array", "items": { "type": "string" } },
                    "first_published": { "$ref": "#/components/schemas/Published" }, "last_published": { "$ref": "#/components/schemas/Published" },
                    "discrepancies": { "type": "boolean", "description": "Whether the story's dossier lists a discrepancy: figures of one counted thing that disagree between its reports." } } },
                "ArticleSummary": { "type": "object", "properties": {
                    "id": { "type": "string" }, "title": { "type": "string" }, "source": { "type": ["string", "null"] },
                    "published": { "$ref": "#/components/schemas/Published" }, "language": { "type": "string" },
                    "near_duplicate_of": { "type": ["string", "null"] }, "story": { "type": ["integer", "null"] } } },
                "SearchHit": { "type": "object", "properties": {
                    "id": { "type": "string" }, "title": { "type": "string" }, "source": { "type": ["string", "null"] },
                    "published": { "$ref": "#/components/schemas/Published" }, "language": { "type": "string" },
                    "story": { "type": ["integer", "null"] }, "score": { "type": "number" },
                    "snippet": { "type": "string" },
                    "snippet_highlights": { "type": "array", "items": { "type": "array", "items": { "type": "integer" } }, "description": "Character ranges [start, end) in snippet." },
                    "title_highlights": { "type": "array", "items": { "type": "array", "items": { "type": "integer" } }, "description": "Character ranges [start, end) in title." } } },
                "FeedStatus": { "type": "object", "description": "One source of the watch list and its last visit.", "properties": {
                    "source": { "type": "string", "description": "The URL, or the folder, as the watch list gives it." },
                    "kind": { "enum": ["feed", "page", "folder"] },
                    "outlet": { "type": ["string", "null"] },
                    "line": { "type": "integer", "description": "Its line in the watch list." },
                    "interval_s": { "type": "integer", "description": "Seconds between visits while it answers." },
                    "last_fetch": { "oneOf": [{ "$ref": "#/components/schemas/Published" }, { "type": "null" }], "description": "When the last visit ended." },
                    "last_success": { "oneOf": [{ "$ref": "#/components/schemas/Published" }, { "type": "null" }] },
                    "duration_ms": { "type": ["integer", "null"] },
                    "result": { "enum": ["pending", "ok", "not_modified", "partial", "error"] },
                    "http_status": { "type": ["integer", "null"] },
                    "new": { "type": "integer" }, "duplicates": { "type": "integer" }, "revised": { "type": "integer" }, "failed": { "type": "integer" },
                    "error": { "type": ["string", "null"], "description": "What went wrong on the last visit, on one line." },
                    "failures": { "type": "integer", "description": "Failed visits in a row; each doubles the wait, up to a cap." },
                    "next_due": { "oneOf": [{ "$ref": "#/components/schemas/Published" }, { "type": "null" }] },
                    "total_new": { "type": "integer" }, "total_revised": { "type": "integer" },
                    "etag": { "type": ["string", "null"] }, "last_modified": { "type": ["string", "null"] },
                    "files_seen": { "type": "integer", "description": "For a folder: the files seen." } } },
                "Dossier": { "type": "object", "description": "id, title, first_published, last_published, sources, languages, articles (one page of the timeline, each with role and adds), articles_total (the reports the dossier reads), reports_total (the story's; more when a story of over 2,000 reports is read from its first and latest 1,000), limit, offset, has_more, discrepancies, contradictions, quotes (by speaker), figures." }
            }
        }
    })
}
