//! The query language: query text in, a syntax tree ([`Node`]) and warnings out.
//!
//! ```text
//! query   = or
//! or      = and { OR and }
//! and     = unary { [AND] unary }          (words are ANDed by default)
//! unary   = NOT unary | -atom | +atom | atom
//! atom    = ( or ) | word | =word | word* | /regex/ | "phrase"[~N] | "=exact phrase"[~N]
//!         | field:atom                      (title, text, exact, outlet, category, lang, medium, day, id, url)
//! ```
//!
//! `AND`, `OR` and `NOT` are operators in any letter case when they stand between terms
//! (`NOT` before one); a lowercase operator adds a warning saying so, and a quoted `"or"` is
//! the word. Nothing here knows about the index: [`super::build`] turns the tree into a
//! tantivy query.

/// A searchable field of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextField {
    /// The title.
    Title,
    /// The body text.
    Text,
}

/// A keyword field matched whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeywordField {
    /// Outlet key.
    Outlet,
    /// Group label.
    Category,
    /// Detected language.
    Lang,
    /// Medium.
    Medium,
    /// Calendar day `YYYY-MM-DD`.
    Day,
    /// Document id.
    Id,
    /// Source URL.
    Url,
}

impl KeywordField {
    /// The schema field name.
    pub fn name(self) -> &'static str {
        match self {
            KeywordField::Outlet => "outlet",
            KeywordField::Category => "category",
            KeywordField::Lang => "lang",
            KeywordField::Medium => "medium",
            KeywordField::Day => "day",
            KeywordField::Id => "id",
            KeywordField::Url => "url",
        }
    }
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// Everything (`*` or an empty query).
    All,
    /// Words analyzed like the documents (several words: a phrase of their terms); `exact`
    /// matches exact forms instead.
    Words {
        /// The words as written.
        text: String,
        /// Exact forms instead of terms.
        exact: bool,
        /// Words that may stand between (phrases with `~N`).
        slop: u32,
        /// Title or text only.
        field: Option<TextField>,
    },
    /// Exact forms starting with a prefix (`word*`).
    Prefix {
        /// The prefix, folded.
        prefix: String,
        /// Title or text only.
        field: Option<TextField>,
    },
    /// Exact forms matching a regular expression as a whole (`/regex/`).
    Regex {
        /// The expression.
        pattern: String,
        /// Title or text only.
        field: Option<TextField>,
    },
    /// A keyword field's value (`outlet:x`).
    Keyword {
        /// The field.
        field: KeywordField,
        /// The value as written.
        value: String,
    },
    /// All of these.
    And(Vec<Node>),
    /// Any of these.
    Or(Vec<Node>),
    /// Not this.
    Not(Box<Node>),
}

impl Node {
    /// Number of leaves (words, phrases, prefixes, expressions, field values).
    pub fn leaves(&self) -> usize {
        match self {
            Node::All => 0,
            Node::And(nodes) | Node::Or(nodes) => nodes.iter().map(Node::leaves).sum(),
            Node::Not(node) => node.leaves(),
            _ => 1,
        }
    }
}

/// A parsed query and what the analyst should know about how it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// The syntax tree.
    pub root: Node,
    /// Notes on how the query was read (lowercase operators).
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Open,
    Close,
    /// A quoted phrase: text, exact (`"=…"`), slop, field prefix written before it.
    Quoted(String, bool, u32, Option<String>),
    /// `/regex/`, with a field prefix written before it.
    Regex(String, Option<String>),
    /// Anything else up to whitespace or a parenthesis.
    Bare(String),
}

fn lex(text: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c == '(' || c == ')' {
            tokens.push(if c == '(' { Token::Open } else { Token::Close });
            i += 1;
            continue;
        }
        // A bare run, which may end in `"…"` or `/…/` (title:"…", -"…").
        let start = i;
        while i < chars.len() && !chars[i].is_whitespace() && !matches!(chars[i], '(' | ')' | '"') {
            let at_start = i == start || chars[i - 1] == ':' || matches!(chars[i - 1], '-' | '+');
            if chars[i] == '/' && at_start {
                break;
            }
            i += 1;
        }
        let head: String = chars[start..i].iter().collect();
        if i < chars.len() && chars[i] == '"' {
            let close = (i + 1..chars.len())
                .find(|&j| chars[j] == '"')
                .ok_or("unbalanced quote: every \" needs a closing \"")?;
            let inner: String = chars[i + 1..close].iter().collect();
            i = close + 1;
            let mut slop = 0;
            if i < chars.len() && chars[i] == '~' {
                let digits: String = chars[i + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .collect();
                slop = digits
                    .parse::<u32>()
                    .map_err(|_| "`~` after a phrase needs a number of words (\"a b\"~2)")?
                    .min(100);
                i += 1 + digits.len();
            }
            let (exact, inner) = match inner.strip_prefix('=') {
                Some(rest) => (true, rest.to_string()),
                None => (false, inner),
            };
            push_with_sign(&mut tokens, &head, |field| {
                Token::Quoted(inner.clone(), exact, slop, field)
            });
            continue;
        }
        if i < chars.len() && chars[i] == '/' {
            let mut j = i + 1;
            let mut pattern = String::new();
            loop {
                match chars.get(j) {
                    None => {
                        return Err("unbalanced `/`: a regular expression is written /…/".into())
                    }
                    Some('\\') if chars.get(j + 1) == Some(&'/') => {
                        pattern.push('/');
                        j += 2;
                    }
                    Some('/') => break,
                    Some(&c) => {
                        pattern.push(c);
                        j += 1;
                    }
                }
            }
            i = j + 1;
            push_with_sign(&mut tokens, &head, |field| {
                Token::Regex(pattern.clone(), field)
            });
            continue;
        }
        tokens.push(Token::Bare(head));
    }
    Ok(tokens)
}

/// Pushes a quoted or regex token whose written prefix `head` may be a sign (`-`, `+`) and
/// a field (`title:`).
fn push_with_sign(tokens: &mut Vec<Token>, head: &str, make: impl Fn(Option<String>) -> Token) {
    let (sign, rest) = match head.chars().next() {
        Some(c @ ('-' | '+')) => (Some(c), &head[1..]),
        _ => (None, head),
    };
    if let Some(sign) = sign {
        tokens.push(Token::Bare(sign.to_string()));
    }
    let field = rest.strip_suffix(':').map(str::to_string);
    tokens.push(make(field));
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    warnings: Vec<String>,
}

/// One item as it is, more joined by `join` (`Node::And` or `Node::Or`).
fn joined(mut items: Vec<Node>, join: fn(Vec<Node>) -> Node) -> Node {
    if items.len() == 1 {
        items.pop().unwrap_or(Node::All)
    } else {
        join(items)
    }
}

fn operator(token: Option<&Token>) -> Option<&'static str> {
    match token {
        Some(Token::Bare(word)) => match word.to_uppercase().as_str() {
            "AND" | "&&" => Some("AND"),
            "OR" | "||" => Some("OR"),
            "NOT" => Some("NOT"),
            _ => None,
        },
        _ => None,
    }
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    /// Whether the token at `pos` can begin a term.
    fn starts_term(&self, pos: usize) -> bool {
        match self.tokens.get(pos) {
            None | Some(Token::Close) => false,
            Some(Token::Bare(_))
                if matches!(operator(self.tokens.get(pos)), Some("AND" | "OR")) =>
            {
                // `a and or` — the second word is a term only if nothing follows it.
                !self.starts_term(pos + 1)
            }
            _ => true,
        }
    }

    /// Consumes the operator `name` at the cursor when it stands as an operator there.
    fn take_operator(&mut self, name: &str) -> bool {
        if operator(self.peek()) != Some(name) || !self.starts_term(self.pos + 1) {
            return false;
        }
        if let Some(Token::Bare(word)) = self.peek() {
            if word != name && !word.starts_with(['&', '|']) {
                self.warnings.push(format!(
                    "`{word}` was read as the operator {name} (AND, OR and NOT are operators in any letter case between words); write \"{word}\" in quotes to search for the word"
                ));
            }
        }
        self.pos += 1;
        true
    }

    fn or(&mut self) -> Result<Node, String> {
        let mut items = vec![self.and()?];
        while self.take_operator("OR") {
            items.push(self.and()?);
        }
        Ok(joined(items, Node::Or))
    }

    fn and(&mut self) -> Result<Node, String> {
        let mut items = vec![self.unary()?];
        loop {
            if self.take_operator("AND") {
                items.push(self.unary()?);
                continue;
            }
            let at_or = operator(self.peek()) == Some("OR") && self.starts_term(self.pos + 1);
            if at_or || !self.starts_term(self.pos) {
                break;
            }
            items.push(self.unary()?);
        }
        Ok(joined(items, Node::And))
    }

    fn unary(&mut self) -> Result<Node, String> {
        if self.take_operator("NOT") {
            return Ok(Node::Not(Box::new(self.unary()?)));
        }
        match self.peek().cloned() {
            Some(Token::Bare(word)) if word == "-" || word == "+" => {
                self.pos += 1;
                let inner = self.atom()?;
                Ok(if word == "-" {
                    Node::Not(Box::new(inner))
                } else {
                    inner
                })
            }
            Some(Token::Bare(word)) if word.len() > 1 && word.starts_with(['-', '+']) => {
                self.tokens[self.pos] = Token::Bare(word[1..].to_string());
                let inner = self.atom()?;
                Ok(if word.starts_with('-') {
                    Node::Not(Box::new(inner))
                } else {
                    inner
                })
            }
            _ => self.atom(),
        }
    }

    fn atom(&mut self) -> Result<Node, String> {
        let token = self
            .peek()
            .cloned()
            .ok_or("the query ends where a word was expected")?;
        self.pos += 1;
        match token {
            Token::Open => {
                let inner = self.or()?;
                if self.peek() != Some(&Token::Close) {
                    return Err("unbalanced parentheses: a `(` is not closed".into());
                }
                self.pos += 1;
                Ok(inner)
            }
            Token::Close => Err("unbalanced parentheses: a `)` has no `(`".into()),
            Token::Quoted(text, exact, slop, field) => {
                let (field, exact) = text_field(field.as_deref(), exact)?;
                Ok(Node::Words {
                    text,
                    exact,
                    slop,
                    field,
                })
            }
            Token::Regex(pattern, field) => {
                let (field, _) = text_field(field.as_deref(), true)?;
                Ok(Node::Regex { pattern, field })
            }
            Token::Bare(word) => bare(&word),
        }
    }
}

/// The text field a `name:` prefix selects, and whether it asks for exact forms.
fn text_field(name: Option<&str>, exact: bool) -> Result<(Option<TextField>, bool), String> {
    match name.map(str::to_ascii_lowercase).as_deref() {
        None => Ok((None, exact)),
        Some("title") => Ok((Some(TextField::Title), exact)),
        Some("text") => Ok((Some(TextField::Text), exact)),
        Some("exact") => Ok((None, true)),
        Some(other) => Err(unknown_field(other)),
    }
}

fn unknown_field(name: &str) -> String {
    format!(
        "unknown field `{name}` (searchable fields: title, text, exact, outlet, category, lang, medium, day, id, url); write \"{name}:…\" in quotes to search for the text"
    )
}

fn keyword_field(name: &str) -> Option<KeywordField> {
    Some(match name.to_ascii_lowercase().as_str() {
        "outlet" => KeywordField::Outlet,
        "category" => KeywordField::Category,
        "lang" => KeywordField::Lang,
        "medium" => KeywordField::Medium,
        "day" => KeywordField::Day,
        "id" => KeywordField::Id,
        "url" => KeywordField::Url,
        _ => return None,
    })
}

/// A bare token: `*`, `field:value`, `=word`, `word*` or a word.
fn bare(word: &str) -> Result<Node, String> {
    if word == "*" {
        return Ok(Node::All);
    }
    let (field, value) = match word.split_once(':') {
        Some((name, value))
            if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphabetic()) =>
        {
            if let Some(keyword) = keyword_field(name) {
                if value.is_empty() {
                    return Err(format!("`{name}:` needs a value"));
                }
                return Ok(Node::Keyword {
                    field: keyword,
                    value: value.to_string(),
                });
            }
            (Some(name), value)
        }
        _ => (None, word),
    };
    let (value, exact) = match value.strip_prefix('=') {
        Some(rest) if !rest.is_empty() => (rest, true),
        _ => (value, false),
    };
    let (field, exact) = text_field(field, exact)?;
    if value.len() > 1 && value.ends_with('*') {
        let prefix = value.trim_end_matches('*');
        return Ok(Node::Prefix {
            prefix: crate::analysis::fold_case(prefix),
            field,
        });
    }
    Ok(Node::Words {
        text: value.to_string(),
        exact,
        slop: 0,
        field,
    })
}

/// Parses query text (empty or `*`: everything).
pub fn parse(text: &str) -> Result<Parsed, String> {
    let tokens = lex(text)?;
    if tokens.is_empty() {
        return Ok(Parsed {
            root: Node::All,
            warnings: Vec::new(),
        });
    }
    let mut parser = Parser {
        tokens,
        pos: 0,
        warnings: Vec::new(),
    };
    let root = parser.or()?;
    if parser.pos < parser.tokens.len() {
        return Err(match parser.tokens[parser.pos] {
            Token::Close => "unbalanced parentheses: a `)` has no `(`".to_string(),
            _ => "the query could not be read to its end".to_string(),
        });
    }
    Ok(Parsed {
        root,
        warnings: parser.warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str) -> Node {
        Node::Words {
            text: text.into(),
            exact: false,
            slop: 0,
            field: None,
        }
    }

    fn root(text: &str) -> Node {
        parse(text).unwrap().root
    }

    #[test]
    fn operators_work_in_any_case_between_words() {
        assert_eq!(root("a OR b"), Node::Or(vec![word("a"), word("b")]));
        assert_eq!(root("a or b"), Node::Or(vec![word("a"), word("b")]));
        assert!(parse("a or b").unwrap().warnings[0].contains("OR"));
        assert_eq!(
            root("a AND NOT b"),
            Node::And(vec![word("a"), Node::Not(Box::new(word("b")))])
        );
        assert_eq!(root("a and not b"), root("a -b"));
        // Not between words: the word itself.
        assert_eq!(root("or"), word("or"));
        assert_eq!(root("a or"), Node::And(vec![word("a"), word("or")]));
        assert_eq!(root("\"or\" b"), Node::And(vec![word("or"), word("b")]));
    }

    #[test]
    fn and_binds_tighter_than_or() {
        assert_eq!(
            root("a b OR c"),
            Node::Or(vec![Node::And(vec![word("a"), word("b")]), word("c")])
        );
        assert_eq!(
            root("a (b OR c)"),
            Node::And(vec![word("a"), Node::Or(vec![word("b"), word("c")])])
        );
    }

    #[test]
    fn prefixes_exact_forms_regexes_and_phrases() {
        assert_eq!(
            root("a* OR b*"),
            Node::Or(vec![
                Node::Prefix {
                    prefix: "a".into(),
                    field: None
                },
                Node::Prefix {
                    prefix: "b".into(),
                    field: None
                }
            ])
        );
        assert_eq!(
            root("=протестующие"),
            Node::Words {
                text: "протестующие".into(),
                exact: true,
                slop: 0,
                field: None
            }
        );
        assert_eq!(root("exact:газ"), root("=газ"));
        assert_eq!(
            root("\"=цены на газ\"~1"),
            Node::Words {
                text: "цены на газ".into(),
                exact: true,
                slop: 1,
                field: None
            }
        );
        assert_eq!(
            root("title:/протест.*/"),
            Node::Regex {
                pattern: "протест.*".into(),
                field: Some(TextField::Title)
            }
        );
        assert_eq!(
            root("-\"цены на газ\""),
            Node::Not(Box::new(Node::Words {
                text: "цены на газ".into(),
                exact: false,
                slop: 0,
                field: None
            }))
        );
        assert_eq!(
            root("day:2022-01-05"),
            Node::Keyword {
                field: KeywordField::Day,
                value: "2022-01-05".into()
            }
        );
    }

    #[test]
    fn bad_queries_say_what_is_wrong() {
        assert!(parse("\"open").unwrap_err().contains("unbalanced quote"));
        assert!(parse("(a b").unwrap_err().contains("parentheses"));
        assert!(parse("a b)").unwrap_err().contains("parentheses"));
        assert!(parse("foo:bar").unwrap_err().contains("foo"));
        assert!(parse("/abc").unwrap_err().contains("/"));
        assert!(parse("a AND").is_ok()); // a trailing operator word is a word
    }

    #[test]
    fn empty_and_star_are_everything() {
        assert_eq!(root(""), Node::All);
        assert_eq!(root("  *  "), Node::All);
    }
}
