//! Texts in the user's language. A [`Msg`] holds a message in Chinese (the
//! default) and in English; the renderer picks one by [`Lang`]. Messages are
//! written once, in the message table (`crate::msg`), with the
//! [`messages!`](crate::messages) macro, so each call site names a message and
//! its arguments and never spells a sentence itself.

use std::fmt;

/// The language messages are shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Lang {
    /// 中文 (the default).
    #[default]
    Zh,
    /// English (`--lang en`, or a locale that starts with `en`).
    En,
}

impl Lang {
    /// The language of the environment: `DUDAO_LANG`, else `LC_ALL`,
    /// `LC_MESSAGES`, `LANG` (the first that is set); English when it starts
    /// with `en`, else Chinese. A `C` or `POSIX` locale (common on servers)
    /// says nothing about the reader, so it keeps Chinese.
    pub fn from_env() -> Lang {
        for var in ["DUDAO_LANG", "LC_ALL", "LC_MESSAGES", "LANG"] {
            if let Ok(v) = std::env::var(var)
                && !v.is_empty()
            {
                return Lang::parse(&v).unwrap_or_default();
            }
        }
        Lang::Zh
    }

    /// `zh`, `zh_CN.UTF-8`, `en`, `en_US.UTF-8`, …; `None` for anything else.
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        if s.starts_with("en") {
            Some(Lang::En)
        } else if s.starts_with("zh") || s == "c" || s == "posix" || s.starts_with("c.") {
            Some(Lang::Zh)
        } else {
            None
        }
    }
}

/// A message in both languages.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Msg {
    // Boxed strings keep a `Diag` small (it travels in `Result`s).
    zh: Box<str>,
    /// `None` when the text is the same in both languages (a name, a number,
    /// a rendered data row).
    en: Option<Box<str>>,
}

impl Msg {
    /// A message with its Chinese and English text.
    pub fn new(zh: String, en: String) -> Msg {
        if zh == en {
            Msg {
                zh: zh.into(),
                en: None,
            }
        } else {
            Msg {
                zh: zh.into(),
                en: Some(en.into()),
            }
        }
    }

    /// A text that reads the same in every language: a name, a value, a row
    /// of the data. Not for sentences: those belong in the message table.
    pub fn verbatim(text: impl Into<String>) -> Msg {
        Msg {
            zh: text.into().into(),
            en: None,
        }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => self.en.as_deref().unwrap_or(&self.zh),
        }
    }

    /// The Chinese text.
    pub fn zh(&self) -> &str {
        &self.zh
    }

    /// The English text.
    pub fn en(&self) -> &str {
        self.get(Lang::En)
    }

    /// The two messages joined by `sep`, in each language.
    pub fn join(&self, sep: &str, other: &Msg) -> Msg {
        Msg::new(
            format!("{}{sep}{}", self.zh, other.zh),
            format!("{}{sep}{}", self.en(), other.en()),
        )
    }

    /// Applies `f` to the text of each language.
    pub fn map(&self, f: impl Fn(&str) -> String) -> Msg {
        Msg::new(f(&self.zh), f(self.en()))
    }
}

impl fmt::Debug for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.en {
            Some(en) => write!(f, "{:?} / {:?}", self.zh, en),
            None => write!(f, "{:?}", self.zh),
        }
    }
}

/// A value a message states: anything printable reads the same in both
/// languages; a [`Msg`] (a message inside a message) is taken in the
/// language being written. `Msg` is deliberately not `Display`, so that a
/// message can never be printed without choosing its language.
pub trait MsgArg {
    fn write_in(&self, lang: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result;
}

impl<T: fmt::Display + ?Sized> MsgArg for T {
    fn write_in(&self, _: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl MsgArg for Msg {
    fn write_in(&self, lang: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.get(lang))
    }
}

impl MsgArg for &Msg {
    fn write_in(&self, lang: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.get(lang))
    }
}

/// An argument of a message, written in one language (used by [`messages!`]).
#[doc(hidden)]
pub struct In<'a, T: ?Sized>(pub &'a T, pub Lang);

impl<T: MsgArg + ?Sized> fmt::Display for In<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.write_in(self.1, f)
    }
}

/// True when either language's text is `other`, so that a test can name the
/// message in the language it was written in.
impl PartialEq<&str> for Msg {
    fn eq(&self, other: &&str) -> bool {
        &*self.zh == *other || self.en() == *other
    }
}

impl PartialEq<str> for Msg {
    fn eq(&self, other: &str) -> bool {
        &*self.zh == other || self.en() == other
    }
}

/// Declares messages: one function per message, taking its arguments and
/// returning a [`Msg`] with the Chinese and the English text. Placeholders
/// are the arguments' names (`{file}`); both texts must use every argument,
/// so that neither language loses a fact.
///
/// ```
/// dudao::messages! {
///     /// A file matches no table.
///     unknown_file(file: &str) {
///         zh: "文件 `{file}` 不对应任何表，已忽略",
///         en: "`{file}` matches no table; it is ignored",
///     }
/// }
/// assert_eq!(unknown_file("学生.csv").zh(), "文件 `学生.csv` 不对应任何表，已忽略");
/// ```
#[macro_export]
macro_rules! messages {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident ( $($arg:ident : $ty:ty),* $(,)? ) { zh: $zh:literal, en: $en:literal $(,)? }
    )*) => {
        $(
            $(#[doc = $doc])*
            #[allow(clippy::useless_format)]
            pub fn $name($($arg: $ty),*) -> $crate::diag::Msg {
                $crate::diag::Msg::new(
                    format!($zh $(, $arg = $crate::diag::In(&$arg, $crate::diag::Lang::Zh))*),
                    format!($en $(, $arg = $crate::diag::In(&$arg, $crate::diag::Lang::En))*),
                )
            }
        )*
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::messages! {
        /// A test message.
        hello(name: &str, n: usize) {
            zh: "你好 {name}，{n} 个",
            en: "hello {name}, {n} of them",
        }
        plain() { zh: "无", en: "none" }
        nested(inner: &Msg, n: usize) { zh: "外（{inner}）{n}", en: "outer ({inner}) {n}" }
    }

    #[test]
    fn messages_carry_both_languages() {
        let m = hello("张三", 3);
        assert_eq!(m.get(Lang::Zh), "你好 张三，3 个");
        assert_eq!(m.get(Lang::En), "hello 张三, 3 of them");
        assert_eq!(plain().en(), "none");
        assert_eq!(Msg::verbatim("万州区").en(), "万州区");
        let n = nested(&plain(), 2);
        assert_eq!((n.zh(), n.en()), ("外（无）2", "outer (none) 2"));
    }

    #[test]
    fn locales_pick_the_language() {
        assert_eq!(Lang::parse("en_US.UTF-8"), Some(Lang::En));
        assert_eq!(Lang::parse("zh_CN.UTF-8"), Some(Lang::Zh));
        assert_eq!(Lang::parse("C.UTF-8"), Some(Lang::Zh));
        assert_eq!(Lang::parse("fr_FR"), None);
    }
}
