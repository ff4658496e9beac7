//! Writing the demo corpus in the formats outlets export: subtitles with sidecars (`tv/`),
//! JSONL and gzipped JSONL with alias field names (`agency/`), CSV with commas, semicolons,
//! reordered columns and Windows-1251 (`online/`), plain text with headers (`regional/`), and
//! the reject-path fixtures of `bad/`.

use std::io::{self, Write};
use std::path::Path;

use chrono::NaiveDateTime;
use mediawatch::files::{self, Access};
use serde_json::json;

use super::data::{BAD_README, PLAN};
use super::text::{article, context, jan, Piece};
use super::{tv, Doc};
use crate::generate::rng::SplitMix64;

/// The folders the demo owns (emptied before writing).
pub const FOLDERS: [&str; 5] = ["tv", "agency", "online", "regional", "bad"];

/// Writes `rel` under `dir` through a fresh file renamed into place (a link planted at the
/// name is replaced, never followed).
fn put(dir: &Path, rel: &str, bytes: &[u8]) -> io::Result<()> {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        files::create_dir_all(parent, Access::Shared)?;
    }
    files::write_replacing(&path, bytes, Access::Shared)
}

/// `2022-01-05T14:30:00+06:00`.
fn iso(at: NaiveDateTime) -> String {
    format!("{}+06:00", at.format("%Y-%m-%dT%H:%M:00"))
}

fn csv_bytes(rows: &[Vec<String>], delimiter: u8, crlf: bool) -> io::Result<Vec<u8>> {
    let terminator = if crlf {
        csv::Terminator::CRLF
    } else {
        csv::Terminator::Any(b'\n')
    };
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .terminator(terminator)
        .from_writer(Vec::new());
    for row in rows {
        writer.write_record(row)?;
    }
    writer
        .into_inner()
        .map_err(|e| io::Error::other(e.to_string()))
}

/// The documents of `outlet`, oldest first.
fn of<'a>(docs: &'a mut [Doc], outlet: &str) -> Vec<&'a mut Doc> {
    let mut out: Vec<&mut Doc> = docs.iter_mut().filter(|d| d.outlet == outlet).collect();
    out.sort_by(|a, b| (a.at, &a.url).cmp(&(b.at, &b.url)));
    out
}

fn jsonl(lines: &[serde_json::Value]) -> Vec<u8> {
    let mut out = Vec::new();
    for line in lines {
        out.extend(line.to_string().into_bytes());
        out.push(b'\n');
    }
    out
}

fn tv_files(dir: &Path, docs: &mut [Doc]) -> io::Result<()> {
    for d in docs.iter_mut().filter(|d| d.medium == "broadcast") {
        let body = if d.file.ends_with(".srt") {
            tv::srt(&d.cues)
        } else {
            tv::vtt(&mut SplitMix64::named(PLAN.seed, &d.file), &d.cues)
        };
        put(dir, &d.file, body.as_bytes())?;
        let Some((slug, day)) = d.programme else {
            continue;
        };
        let sidecar = PLAN
            .sidecars
            .iter()
            .find(|s| s.channel == d.outlet && s.day == day && s.slug == slug);
        if let Some(sidecar) = sidecar {
            d.title = sidecar.meta.title.clone();
            let meta = serde_json::to_string_pretty(&sidecar.meta).map_err(io::Error::other)?;
            put(
                dir,
                &format!("{}.meta.json", d.file),
                format!("{meta}\n").as_bytes(),
            )?;
        }
    }
    Ok(())
}

fn agency(dir: &Path, docs: &mut [Doc]) -> io::Result<()> {
    for (month, name) in [
        (12, "birlik_aqparat_2021-12.jsonl"),
        (1, "birlik_aqparat_2022-01.jsonl"),
    ] {
        let mut lines = Vec::new();
        for d in of(docs, "birlik_aqparat") {
            if chrono::Datelike::month(&d.day) != month {
                continue;
            }
            d.file = format!("agency/{name}");
            lines.push(json!({
                "id": d.id, "outlet": d.outlet, "published": iso(d.at), "title": d.title,
                "text": d.text(), "url": d.url, "lang": d.declared,
            }));
        }
        put(dir, &format!("agency/{name}"), &jsonl(&lines))?;
    }
    // The newspaper's export names its fields differently and is gzipped.
    let mut lines = Vec::new();
    for d in of(docs, "zhana_dauir") {
        d.file = "agency/zhana_dauir.jsonl.gz".into();
        lines.push(json!({
            "id": d.id, "source": "Жаңа Дәуір", "date": iso(d.at), "headline": d.title,
            "body": d.text(), "link": d.url, "lang": d.declared,
        }));
    }
    let mut gz = flate2::GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), flate2::Compression::default());
    gz.write_all(&jsonl(&lines))?;
    put(dir, "agency/zhana_dauir.jsonl.gz", &gz.finish()?)
}

/// A document's value under a CSV export's column name.
fn cell(d: &Doc, column: &str) -> String {
    match column {
        "id" => d.id.clone().unwrap_or_default(),
        "outlet" => d.outlet.clone(),
        "published" => iso(d.at),
        // Naive local time.
        "date" => d.at.format("%Y-%m-%d %H:%M").to_string(),
        // The one export that names its outlet by display name.
        "source" => "Ветер степи".into(),
        "title" => d.title.clone(),
        "text" | "content" => d.text(),
        "url" | "link" => d.url.clone(),
        "lang" => d.declared.into(),
        other => unreachable!("no demo CSV column {other}"),
    }
}

/// The CSV export `online/NAME` of the documents of `outlet` that `keep` selects: a header
/// of `columns` and a row each.
fn export(
    docs: &mut [Doc],
    (outlet, name): (&str, &str),
    columns: &[&str],
    keep: impl Fn(&Doc) -> bool,
    (delimiter, crlf): (u8, bool),
) -> io::Result<Vec<u8>> {
    let mut rows = vec![columns.iter().map(|c| c.to_string()).collect()];
    for d in of(docs, outlet) {
        if keep(d) {
            d.file = format!("online/{name}");
            rows.push(columns.iter().map(|c| cell(d, c)).collect());
        }
    }
    csv_bytes(&rows, delimiter, crlf)
}

fn online(dir: &Path, docs: &mut [Doc]) -> io::Result<()> {
    let all = |_: &Doc| true;
    let comma = (b',', false);
    for (month, name) in [
        (12, "ashyq_alan_2021-12.csv"),
        (1, "ashyq_alan_2022-01.csv"),
    ] {
        let columns = ["id", "outlet", "published", "title", "text", "url", "lang"];
        let in_month = |d: &Doc| chrono::Datelike::month(&d.day) == month;
        let bytes = export(docs, ("ashyq_alan", name), &columns, in_month, comma)?;
        put(dir, &format!("online/{name}"), &bytes)?;
    }
    let file = ("sarap_media", "sarap_media.csv");
    let columns = ["outlet", "published", "title", "text", "url", "lang"];
    let bytes = export(docs, file, &columns, all, (b';', false))?;
    put(dir, "online/sarap_media.csv", &bytes)?;
    let file = ("steppe_ledger", "steppe_ledger.csv");
    let columns = ["id", "published", "outlet", "lang", "title", "url", "text"];
    put(
        dir,
        "online/steppe_ledger.csv",
        &export(docs, file, &columns, all, comma)?,
    )?;
    // Windows-1251, semicolons, CRLF, alias columns, naive local times and no id.
    let file = ("veter_stepi", "veter_stepi_cp1251.csv");
    let columns = ["date", "source", "title", "content", "link"];
    let bytes = export(docs, file, &columns, all, (b';', true))?;
    let utf8 = String::from_utf8(bytes).map_err(io::Error::other)?;
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1251.encode(&utf8);
    if unmappable {
        return Err(io::Error::other("veter_stepi: text outside Windows-1251"));
    }
    put(dir, "online/veter_stepi_cp1251.csv", &bytes)
}

fn regional(dir: &Path, docs: &mut [Doc]) -> io::Result<()> {
    for d in of(docs, "kaspiy_tolqyny") {
        let alias = if d.declared == "kk" {
            "Каспий толқыны"
        } else {
            "Каспий Толкыны"
        };
        let file = format!(
            "Title: {}\nOutlet: {alias}\nDate: {}\nURL: {}\nLang: {}\n\n{}\n",
            d.title,
            d.day,
            d.url,
            d.declared,
            d.text()
        );
        put(dir, &d.file, file.as_bytes())?;
    }
    Ok(())
}

/// `bad/`: broken records of every kind next to good ones (see its README).
fn bad(dir: &Path) -> io::Result<()> {
    let mut rng = SplitMix64::named(PLAN.seed, "bad");
    let mut good = Vec::new();
    for (i, (lang, topic, day)) in [
        ("ru", "aftermath", jan(12)),
        ("kk", "aftermath", jan(13)),
        ("en", "csto", jan(14)),
        ("ru", "weather", jan(14)),
    ]
    .into_iter()
    .enumerate()
    {
        let ctx = context(&mut rng, day, "birlik_aqparat", lang);
        let piece = Piece {
            lang,
            group: "state",
            topic,
            day,
        };
        let (title, paragraphs) = article(&mut rng, piece, &ctx, None, true);
        let id = format!("bad-good-{}", i + 1);
        good.push(json!({
            "id": id, "outlet": "birlik_aqparat", "published": format!("{day}T1{i}:00:00+06:00"),
            "title": title,
            "text": paragraphs.iter().map(|p| p.1.as_str()).collect::<Vec<_>>().join("\n\n"),
            "url": format!("https://birlik-aqparat.example/{lang}/news/{id}"), "lang": lang,
        }));
    }
    let text = |i: usize| good[i]["text"].as_str().unwrap_or_default().to_string();
    let with = |i: usize, changes: serde_json::Value| {
        let mut record = good[i].clone();
        if let (Some(record), Some(changes)) = (record.as_object_mut(), changes.as_object()) {
            for (k, v) in changes {
                record.insert(k.clone(), v.clone());
            }
        }
        record
    };
    let base = |id: &str, title: &str, text: Option<&str>| {
        let mut record = json!({
            "id": id, "title": title, "url": format!("https://birlik-aqparat.example/ru/news/{id}"),
            "outlet": "birlik_aqparat", "published": "2022-01-13T12:00:00+06:00", "lang": "ru",
        });
        if let (Some(text), Some(record)) = (text, record.as_object_mut()) {
            record.insert("text".into(), text.into());
        }
        record
    };
    let line = |v: &serde_json::Value| v.to_string().into_bytes();
    let invalid_utf8 = line(&base(
        "bad-invalid-utf8",
        "Битая кодировка",
        Some("Текст до битых байтов @@ и после них."),
    ));
    let at = invalid_utf8
        .windows(2)
        .position(|w| w == b"@@")
        .unwrap_or(0);
    let invalid_utf8 = [
        &invalid_utf8[..at],
        b"\xff\xfe\xc3\x28",
        &invalid_utf8[at + 2..],
    ]
    .concat();
    let lines: Vec<Vec<u8>> = vec![
        line(&good[0]),
        "{\"id\": \"bad-malformed\", \"outlet\": \"birlik_aqparat\", \"published\": \"2022-01-12T10:00:00+06:00\", \"title\": \"Оборванная запись\", \"text\": \"Запись обрывается посреди строки".as_bytes().to_vec(),
        line(&good[1]),
        line(&base("bad-no-text", "Запись без текста", None)),
        line(&base("bad-blank-text", "Пустой текст", Some(" \n\t — … !!! ,,, ?! \n "))),
        line(&with(3, json!({"id": "bad-date-feb30", "published": "2022-02-30T09:00:00+06:00", "text": format!("{} (1)", text(3)), "url": "https://birlik-aqparat.example/ru/news/bad-date-feb30"}))),
        line(&with(3, json!({"id": "bad-date-yesterday", "published": "yesterday", "text": format!("{} (2)", text(3)), "url": "https://birlik-aqparat.example/ru/news/bad-date-yesterday"}))),
        invalid_utf8,
        line(&with(0, json!({"id": "bad-unknown-outlet", "outlet": "qazaq_radio_fm", "text": format!("{} (3)", text(2)), "url": "https://qazaq-radio.example/bad-unknown-outlet"}))),
        line(&with(0, json!({"id": "bad-dup-of-good-1", "url": "https://birlik-aqparat.example/ru/news/bad-dup-of-good-1"}))),
        line(&good[2]),
        line(&good[3]),
    ];
    put(
        dir,
        "bad/agency_bad.jsonl",
        &[lines.join(&b'\n'), b"\n".to_vec()].concat(),
    )?;
    put(dir, "bad/empty.jsonl", b"")?;
    let good_row = |id: &str, time: &str, title: &str, text: &str| -> Vec<String> {
        [
            id,
            "ashyq_alan",
            time,
            title,
            text,
            &format!("https://ashyq-alan.example/ru/news/{id}"),
            "ru",
        ]
        .map(String::from)
        .to_vec()
    };
    let header: Vec<String> = ["id", "outlet", "published", "title", "text", "url", "lang"]
        .map(String::from)
        .to_vec();
    let first = good_row("csvbad-good-1", "2022-01-13T09:30:00+06:00", "Проверка: хорошая строка",
        "Первая хорошая запись в файле с ошибками.\n\nВторой абзац, чтобы текст был многострочным, с запятой, и «кавычками».");
    let second = good_row(
        "csvbad-good-2",
        "2022-01-13T11:00:00+06:00",
        "Проверка: ещё одна хорошая строка",
        "Вторая хорошая запись. Она идёт после строки с неверным числом полей.",
    );
    let mut csv = csv_bytes(&[header, first], b',', false)?;
    csv.extend("csvbad-short,ashyq_alan,2022-01-13T10:00:00+06:00,Только заголовок\n".as_bytes());
    csv.extend(csv_bytes(&[second], b',', false)?);
    csv.extend("csvbad-long,ashyq_alan,2022-01-13T12:00:00+06:00,Лишние поля,Текст записи с лишними полями.,https://ashyq-alan.example/ru/news/csvbad-long,ru,EXTRA,EXTRA2\n".as_bytes());
    csv.extend("csvbad-quote,ashyq_alan,2022-01-14T09:00:00+06:00,\"Незакрытая кавычка,Текст без закрывающей кавычки, и запись обрывается в конце файла\n".as_bytes());
    put(dir, "bad/online_bad.csv", &csv)?;
    let srt = "1\n00:00:02,000 --> 00:00:05,400\nҚайырлы кеш! Кешкі жаңалықтар эфирде.\n\n\
        2\n00:00:05,600 --> 00:00:09,800\nАлматыда банктер мен дүкендер\nәдеттегі режимде жұмыс істеп тұр.\n\n\
        3\n00:00:1O,000 -> 00:00:14,200\nБұл реплика уақыт белгісі бұзылған\nжолдан кейін тұр.\n\n\
        4\n00:00:14,500 --> 00:00:18,000\nКелесі шығарылымда кездескенше.\n";
    put(dir, "bad/qazaq_efiri_2022-01-12_broken.srt", srt.as_bytes())?;
    put(dir, "bad/README.md", BAD_README.as_bytes())
}

/// Empties the demo's folders in `dir` and writes every document and fixture.
pub fn write_all(dir: &Path, docs: &mut [Doc]) -> io::Result<()> {
    for folder in FOLDERS {
        let path = dir.join(folder);
        if path.is_dir() {
            std::fs::remove_dir_all(&path)?;
        }
    }
    tv_files(dir, docs)?;
    agency(dir, docs)?;
    online(dir, docs)?;
    regional(dir, docs)?;
    bad(dir)
}
