//! Bytes to text: takes raw file bytes, guesses their encoding (UTF-8, Windows-1251, UTF-16 with BOM)
//! and gives out decoded `str` text or a `DecodeError` with the byte offset of the first bad sequence.

use std::borrow::Cow;
use std::io::{self, Read};

use encoding_rs::{DecoderResult, Encoding, UTF_16BE, UTF_16LE, WINDOWS_1251};

/// A text encoding that researchers' files come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    /// UTF-8, with or without a byte order mark.
    Utf8,
    /// Windows-1251 (Cyrillic code page used by Russian Windows exports).
    Windows1251,
    /// UTF-16 little endian (recognised only by its `FF FE` byte order mark).
    Utf16Le,
    /// UTF-16 big endian (recognised only by its `FE FF` byte order mark).
    Utf16Be,
}

impl TextEncoding {
    /// The encoding's conventional name, as used in [`DecodeError::encoding`]
    /// (`"UTF-8"`, `"windows-1251"`, `"UTF-16LE"`, `"UTF-16BE"`).
    pub fn name(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Windows1251 => WINDOWS_1251.name(),
            TextEncoding::Utf16Le => UTF_16LE.name(),
            TextEncoding::Utf16Be => UTF_16BE.name(),
        }
    }
}

crate::display_as_name!(TextEncoding);

const BOM_UTF8: &[u8] = &[0xEF, 0xBB, 0xBF];
const BOM_UTF16LE: &[u8] = &[0xFF, 0xFE];
const BOM_UTF16BE: &[u8] = &[0xFE, 0xFF];

/// Guesses a file's encoding from its first bytes (pass up to 64 KiB).
///
/// Order of decision:
/// 1. a byte order mark decides (`EF BB BF` → UTF-8, `FF FE` → UTF-16LE, `FE FF` → UTF-16BE);
/// 2. valid UTF-8 (a multi-byte character cut off at the end of the sample is allowed) → UTF-8;
/// 3. well-formed multi-byte UTF-8 sequences with fewer than 1 % invalid ones among all non-ASCII
///    sequences → UTF-8 (the few bad records fail later in [`decode`]);
/// 4. high bytes that look like Cyrillic Windows-1251 text (at least 60 % of them in `C0..=FF` or
///    `A8`/`B8`, and under 10 % in `80..=9F` outside common typographic punctuation) → Windows-1251;
/// 5. otherwise UTF-8 (so that bad records are reported rather than silently mis-decoded).
///
/// UTF-16 without a BOM is not detected.
pub fn sniff(sample: &[u8]) -> TextEncoding {
    if sample.starts_with(BOM_UTF8) {
        return TextEncoding::Utf8;
    }
    if sample.starts_with(BOM_UTF16LE) {
        return TextEncoding::Utf16Le;
    }
    if sample.starts_with(BOM_UTF16BE) {
        return TextEncoding::Utf16Be;
    }
    match std::str::from_utf8(sample) {
        Ok(_) => return TextEncoding::Utf8,
        // `error_len() == None`: the only problem is an incomplete character at the very end.
        Err(e) if e.error_len().is_none() => return TextEncoding::Utf8,
        Err(_) => {}
    }
    let (valid_multibyte, invalid) = count_utf8_sequences(sample);
    // invalid / (valid + invalid) < 1 %
    if valid_multibyte > 0 && invalid.saturating_mul(100) < valid_multibyte.saturating_add(invalid)
    {
        return TextEncoding::Utf8;
    }
    if looks_like_cp1251(sample) {
        return TextEncoding::Windows1251;
    }
    TextEncoding::Utf8
}

/// Counts (well-formed multi-byte UTF-8 characters, invalid sequences) in `bytes`.
/// An incomplete character at the very end is counted as neither.
fn count_utf8_sequences(bytes: &[u8]) -> (usize, usize) {
    let mut valid_multibyte = 0usize;
    let mut invalid = 0usize;
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                valid_multibyte += count_multibyte_chars(s);
                break;
            }
            Err(e) => {
                let good = rest.get(..e.valid_up_to()).unwrap_or(&[]);
                // `good` is valid UTF-8 by construction; count its lead bytes.
                valid_multibyte += good.iter().filter(|&&b| b >= 0xC0).count();
                match e.error_len() {
                    Some(n) => {
                        invalid += 1;
                        rest = rest.get(e.valid_up_to() + n..).unwrap_or(&[]);
                    }
                    None => break,
                }
            }
        }
    }
    (valid_multibyte, invalid)
}

fn count_multibyte_chars(s: &str) -> usize {
    s.chars().filter(|c| c.len_utf8() > 1).count()
}

/// True when the bytes >= 0x80 in `bytes` look like Russian text in Windows-1251.
fn looks_like_cp1251(bytes: &[u8]) -> bool {
    let mut high = 0usize;
    let mut letters = 0usize;
    let mut odd_c1 = 0usize;
    for &b in bytes {
        if b < 0x80 {
            continue;
        }
        high += 1;
        match b {
            0xC0..=0xFF | 0xA8 | 0xB8 => letters += 1,
            // … ‘ ’ “ ” • – — ™ are common in Russian typography
            0x85 | 0x91..=0x97 | 0x99 => {}
            0x80..=0x9F => odd_c1 += 1,
            _ => {}
        }
    }
    high > 0
        && letters.saturating_mul(10) >= high.saturating_mul(6)
        && odd_c1.saturating_mul(10) < high
}

/// Length of a byte order mark at the start of `bytes`: 3 for UTF-8 (`EF BB BF`),
/// 2 for UTF-16 (`FF FE` or `FE FF`), else 0. Strip it before calling [`decode`].
pub fn bom_len(bytes: &[u8]) -> usize {
    if bytes.starts_with(BOM_UTF8) {
        3
    } else if bytes.starts_with(BOM_UTF16LE) || bytes.starts_with(BOM_UTF16BE) {
        2
    } else {
        0
    }
}

/// Bytes that are not valid text in the chosen encoding.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("undecodable bytes: invalid {encoding} at byte {offset}")]
pub struct DecodeError {
    /// Name of the encoding, see [`TextEncoding::name`].
    pub encoding: &'static str,
    /// Offset of the first invalid byte within the bytes passed to [`decode`].
    pub offset: usize,
}

/// Decodes one record's bytes (BOM already removed, see [`bom_len`]) in the given encoding.
///
/// * UTF-8 must be valid: no lossy replacement; an invalid or truncated sequence is an error with
///   its byte offset. Valid input is borrowed, not copied.
/// * Windows-1251 maps every byte (never fails).
/// * UTF-16 (pass the whole file contents) fails on unpaired surrogates and on an odd length.
///
/// A BOM left in the input is kept as U+FEFF; NUL characters are kept too (the caller decides).
pub fn decode(bytes: &[u8], encoding: TextEncoding) -> Result<Cow<'_, str>, DecodeError> {
    match encoding {
        TextEncoding::Utf8 => {
            // encoding_rs validates with SIMD (simdutf8), several times faster than
            // `str::from_utf8` on Cyrillic text: this was 2 % of an ingest's CPU.
            let valid = Encoding::utf8_valid_up_to(bytes);
            if valid < bytes.len() {
                return Err(DecodeError {
                    encoding: encoding.name(),
                    offset: valid,
                });
            }
            // SAFETY: `utf8_valid_up_to` found every byte part of valid UTF-8.
            Ok(Cow::Borrowed(unsafe {
                std::str::from_utf8_unchecked(bytes)
            }))
        }
        TextEncoding::Windows1251 => Ok(WINDOWS_1251.decode_without_bom_handling(bytes).0),
        TextEncoding::Utf16Le => decode_strict(bytes, UTF_16LE, encoding.name()).map(Cow::Owned),
        TextEncoding::Utf16Be => decode_strict(bytes, UTF_16BE, encoding.name()).map(Cow::Owned),
    }
}

/// Decodes with `encoding_rs` without replacement, reporting the offset of the first malformed sequence.
fn decode_strict(
    bytes: &[u8],
    enc: &'static Encoding,
    name: &'static str,
) -> Result<String, DecodeError> {
    let mut decoder = enc.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len().saturating_mul(2));
    let mut out = String::with_capacity(capacity);
    let mut consumed = 0usize;
    loop {
        let rest = bytes.get(consumed..).unwrap_or(&[]);
        let (result, read) = decoder.decode_to_string_without_replacement(rest, &mut out, true);
        consumed = consumed.saturating_add(read);
        match result {
            DecoderResult::InputEmpty => return Ok(out),
            DecoderResult::OutputFull => {
                // Cannot normally happen with the computed capacity; grow and continue.
                let more = decoder
                    .max_utf8_buffer_length_without_replacement(rest.len().saturating_sub(read))
                    .unwrap_or(16)
                    .max(16);
                out.reserve(more);
            }
            DecoderResult::Malformed(bad, after) => {
                let offset = consumed
                    .saturating_sub(usize::from(after))
                    .saturating_sub(usize::from(bad));
                return Err(DecodeError {
                    encoding: name,
                    offset,
                });
            }
        }
    }
}

/// A UTF-16 byte stream (BOM removed) read as UTF-8, transcoded as it is read, so files of
/// any size stream. A malformed sequence (unpaired surrogate, odd length) is an
/// `InvalidData` error after the text before it has been delivered.
pub struct Utf16Reader<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    name: &'static str,
    input: Vec<u8>,
    input_start: usize,
    input_end: usize,
    /// Bytes of UTF-16 consumed so far (for error offsets).
    consumed: u64,
    output: Vec<u8>,
    output_start: usize,
    output_end: usize,
    /// The error to return once the output before it is drained.
    pending: Option<io::Error>,
    done: bool,
}

/// Bytes read from the underlying stream at a time.
const UTF16_CHUNK: usize = 64 * 1024;

impl<R: Read> Utf16Reader<R> {
    /// Transcodes `inner`, which holds UTF-16 in `encoding` (little- or big-endian).
    pub fn new(inner: R, encoding: TextEncoding) -> Utf16Reader<R> {
        let enc = match encoding {
            TextEncoding::Utf16Be => UTF_16BE,
            _ => UTF_16LE,
        };
        let decoder = enc.new_decoder_without_bom_handling();
        let output_len = decoder
            .max_utf8_buffer_length_without_replacement(UTF16_CHUNK)
            .unwrap_or(4 * UTF16_CHUNK);
        Utf16Reader {
            inner,
            decoder,
            name: encoding.name(),
            input: vec![0; UTF16_CHUNK],
            input_start: 0,
            input_end: 0,
            consumed: 0,
            output: vec![0; output_len],
            output_start: 0,
            output_end: 0,
            pending: None,
            done: false,
        }
    }
}

impl<R: Read> Read for Utf16Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.output_start < self.output_end {
                let n = buf.len().min(self.output_end - self.output_start);
                buf[..n].copy_from_slice(&self.output[self.output_start..self.output_start + n]);
                self.output_start += n;
                return Ok(n);
            }
            if let Some(error) = self.pending.take() {
                self.done = true;
                return Err(error);
            }
            if self.done {
                return Ok(0);
            }
            if self.input_start == self.input_end {
                self.input_start = 0;
                self.input_end = self.inner.read(&mut self.input)?;
            }
            let last = self.input_start == self.input_end;
            let (result, read, written) = self.decoder.decode_to_utf8_without_replacement(
                &self.input[self.input_start..self.input_end],
                &mut self.output,
                last,
            );
            self.input_start += read;
            self.consumed += read as u64;
            self.output_start = 0;
            self.output_end = written;
            match result {
                DecoderResult::InputEmpty => self.done = last,
                DecoderResult::OutputFull => {}
                DecoderResult::Malformed(bad, after) => {
                    let offset = self.consumed - u64::from(bad) - u64::from(after);
                    self.pending = Some(io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!("malformed {} at byte {offset} of the text", self.name),
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const CP1251_CSV: &[u8] = include_bytes!("../../tests/fixtures/encoding/cp1251.csv");
    const UTF8_BOM_JSONL: &[u8] = include_bytes!("../../tests/fixtures/encoding/utf8_bom.jsonl");

    fn utf16le(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
    }

    fn utf16be(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(|u| u.to_be_bytes()).collect()
    }

    #[test]
    fn cp1251_fixture_is_sniffed_and_decoded() {
        assert_eq!(bom_len(CP1251_CSV), 0);
        assert_eq!(sniff(CP1251_CSV), TextEncoding::Windows1251);
        assert!(
            decode(CP1251_CSV, TextEncoding::Utf8).is_err(),
            "fixture must really be cp1251"
        );
        let text = decode(CP1251_CSV, TextEncoding::Windows1251).unwrap();
        assert!(text.starts_with("id,outlet,published,title,text\r\n"));
        assert!(text.contains("Хабар"));
        assert!(text.contains("Правительство утвердило новый бюджет"));
        assert!(text.contains("\"Первая строка текста.\r\nВторая строка: «цитата» — и ёлка.\""));
        assert!(text.contains("Съезд прошёл в Астане"));
        assert_eq!(text.lines().filter(|l| !l.is_empty()).count(), 5);
    }

    #[test]
    fn utf8_bom_fixture_is_sniffed_and_decoded() {
        assert_eq!(sniff(UTF8_BOM_JSONL), TextEncoding::Utf8);
        let n = bom_len(UTF8_BOM_JSONL);
        assert_eq!(n, 3);
        let body = UTF8_BOM_JSONL.get(n..).unwrap();
        let text = decode(body, TextEncoding::Utf8).unwrap();
        assert!(matches!(text, Cow::Borrowed(_)));
        assert!(!text.starts_with('\u{feff}'));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].starts_with("{\"id\":\"1\""));
        assert!(lines[0].contains("Выборы в маслихаты"));
        assert!(lines[1].contains("Новости Алматы: ёлка на площади"));
    }

    #[test]
    fn bom_decides() {
        assert_eq!(sniff(&[0xEF, 0xBB, 0xBF, 0xCF, 0xF0]), TextEncoding::Utf8);
        assert_eq!(sniff(&[0xFF, 0xFE, 0x41, 0x00]), TextEncoding::Utf16Le);
        assert_eq!(sniff(&[0xFE, 0xFF, 0x00, 0x41]), TextEncoding::Utf16Be);
        assert_eq!(bom_len(&[0xFF, 0xFE]), 2);
        assert_eq!(bom_len(&[0xFE, 0xFF, 0x00]), 2);
        assert_eq!(bom_len(&[0xEF, 0xBB]), 0);
        assert_eq!(bom_len(b""), 0);
        assert_eq!(bom_len(b"abc"), 0);
    }

    #[test]
    fn plain_and_cut_utf8() {
        assert_eq!(sniff(b""), TextEncoding::Utf8);
        assert_eq!(sniff(b"hello, world"), TextEncoding::Utf8);
        let s = "Привет, Қазақстан!".as_bytes();
        assert_eq!(sniff(s), TextEncoding::Utf8);
        // Cut in the middle of the last 2-byte character.
        let cut = &s[..s.len() - 2];
        assert!(std::str::from_utf8(cut).is_err());
        assert_eq!(sniff(&"Привет".as_bytes()[..3]), TextEncoding::Utf8);
    }

    #[test]
    fn mostly_utf8_with_a_rare_bad_byte() {
        let mut v = "Мир труд май. ".repeat(40).into_bytes();
        v.push(0xFF); // one bad byte among ~400 Cyrillic characters
        v.extend_from_slice("ещё текст".as_bytes());
        assert_eq!(sniff(&v), TextEncoding::Utf8);
    }

    #[test]
    fn cp1251_text_is_detected() {
        let (bytes, _, _) = WINDOWS_1251.encode("Президент подписал указ «О бюджете» — №5, ёлка.");
        assert_eq!(sniff(&bytes), TextEncoding::Windows1251);
        assert_eq!(
            decode(&bytes, TextEncoding::Windows1251).unwrap(),
            "Президент подписал указ «О бюджете» — №5, ёлка."
        );
    }

    #[test]
    fn non_cyrillic_high_bytes_fall_back_to_utf8() {
        // C1-control-heavy garbage is neither UTF-8 nor Russian cp1251.
        let v: Vec<u8> = (0x80u8..0xA0).cycle().take(200).collect();
        assert_eq!(sniff(&v), TextEncoding::Utf8);
        // Symbols in A0..BF only.
        let v: Vec<u8> = [0xA9u8, 0xAE, 0xB0, 0xB1].repeat(20);
        assert_eq!(sniff(&v), TextEncoding::Utf8);
    }

    #[test]
    fn utf8_errors_have_offsets() {
        assert_eq!(decode(b"abc", TextEncoding::Utf8).unwrap(), "abc");
        let err = decode(b"ab\xFFcd", TextEncoding::Utf8).unwrap_err();
        assert_eq!(
            err,
            DecodeError {
                encoding: "UTF-8",
                offset: 2
            }
        );
        assert_eq!(
            err.to_string(),
            "undecodable bytes: invalid UTF-8 at byte 2"
        );
        // Truncated multi-byte character at the end is an error too.
        let s = "да".as_bytes();
        let err = decode(&s[..3], TextEncoding::Utf8).unwrap_err();
        assert_eq!(err.offset, 2);
        // Overlong encoding and surrogate are invalid.
        assert_eq!(
            decode(b"\xC0\xAF", TextEncoding::Utf8).unwrap_err().offset,
            0
        );
        assert_eq!(
            decode(b"x\xED\xA0\x80", TextEncoding::Utf8)
                .unwrap_err()
                .offset,
            1
        );
    }

    #[test]
    fn nul_and_bom_are_kept() {
        assert_eq!(decode(b"a\0b", TextEncoding::Utf8).unwrap(), "a\0b");
        assert_eq!(
            decode(b"\xEF\xBB\xBFx", TextEncoding::Utf8).unwrap(),
            "\u{feff}x"
        );
    }

    #[test]
    fn cp1251_maps_every_byte() {
        let all: Vec<u8> = (0u8..=255).collect();
        let text = decode(&all, TextEncoding::Windows1251).unwrap();
        assert_eq!(text.chars().count(), 256);
        assert!(!text.contains('\u{fffd}'));
        assert_eq!(
            decode(&[0xC0, 0xFF, 0xA8, 0xB8, 0xB9], TextEncoding::Windows1251).unwrap(),
            "АяЁё№"
        );
    }

    #[test]
    fn utf16_round_trips() {
        let s = "Қазақ тілі — 𝄞 music\r\nline";
        assert_eq!(decode(&utf16le(s), TextEncoding::Utf16Le).unwrap(), s);
        assert_eq!(decode(&utf16be(s), TextEncoding::Utf16Be).unwrap(), s);
        assert_eq!(decode(b"", TextEncoding::Utf16Le).unwrap(), "");
        let mut with_bom = vec![0xFF, 0xFE];
        with_bom.extend(utf16le("Да"));
        assert_eq!(sniff(&with_bom), TextEncoding::Utf16Le);
        let body = &with_bom[bom_len(&with_bom)..];
        assert_eq!(decode(body, TextEncoding::Utf16Le).unwrap(), "Да");
    }

    #[test]
    fn utf16_errors() {
        // Odd length.
        let mut v = utf16le("ab");
        v.push(0x41);
        let err = decode(&v, TextEncoding::Utf16Le).unwrap_err();
        assert_eq!(
            err,
            DecodeError {
                encoding: "UTF-16LE",
                offset: 4
            }
        );
        // Unpaired high surrogate followed by a normal unit.
        let v = [0x41, 0x00, 0x00, 0xD8, 0x42, 0x00];
        assert_eq!(decode(&v, TextEncoding::Utf16Le).unwrap_err().offset, 2);
        // Lone low surrogate (big endian).
        let v = [0x00, 0x41, 0x00, 0x42, 0xDC, 0x00];
        assert_eq!(decode(&v, TextEncoding::Utf16Be).unwrap_err().offset, 4);
        // High surrogate at the very end.
        let v = [0x00, 0xD8];
        assert!(decode(&v, TextEncoding::Utf16Le).is_err());
        assert_eq!(
            decode(&[0x00], TextEncoding::Utf16Be)
                .unwrap_err()
                .to_string(),
            "undecodable bytes: invalid UTF-16BE at byte 0"
        );
    }

    #[test]
    fn large_utf16_input() {
        let s = "Жаңалықтар ".repeat(5000);
        assert_eq!(decode(&utf16le(&s), TextEncoding::Utf16Le).unwrap(), s);
    }

    /// Byte strings mixing random bytes with marks and text that trip decoders: BOMs,
    /// Cyrillic in UTF-8 and Windows-1251, a lone UTF-16 surrogate, CSV punctuation.
    fn tricky_bytes() -> impl Strategy<Value = Vec<u8>> {
        let pieces: Vec<&'static [u8]> = vec![
            b"\xEF\xBB\xBF",
            b"\xFF\xFE",
            b"\xFE\xFF",
            "Привет".as_bytes(),
            b"\xCF\xF0\xE8",
            b"\x00\xD8",
            b"abc,\r\n",
            b"\x80\x98",
        ];
        let part = prop_oneof![
            1 => prop::sample::select(pieces).prop_map(<[u8]>::to_vec),
            2 => any::<u8>().prop_map(|b| vec![b]),
        ];
        prop::collection::vec(part, 0..40).prop_map(|parts| parts.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn never_panics_on_random_bytes(v in tricky_bytes()) {
            let enc = sniff(&v);
            let body = &v[bom_len(&v)..];
            for e in [
                enc,
                TextEncoding::Utf8,
                TextEncoding::Windows1251,
                TextEncoding::Utf16Le,
                TextEncoding::Utf16Be,
            ] {
                match decode(body, e) {
                    Ok(text) => {
                        if e == TextEncoding::Windows1251 {
                            assert_eq!(text.chars().count(), body.len());
                        }
                    }
                    Err(err) => {
                        assert_ne!(e, TextEncoding::Windows1251);
                        assert!(err.offset <= body.len());
                    }
                }
            }
        }
    }
}
