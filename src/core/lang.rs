//! The two languages of the window, and the trait every worded value implements.
//!
//! The trait lives here, below everything, so that any layer can ask a value for its words
//! (`notice.say(lang)`) without importing the catalogue: the words themselves, each
//! value's `impl Say`, are in `crate::words`.

use serde::{Deserialize, Serialize};

/// The language of the window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    /// English.
    #[default]
    #[serde(rename = "en")]
    En,
    /// Simplified Chinese.
    #[serde(rename = "zh-CN")]
    ZhCn,
}

/// Something the app can put into words in either language.
pub trait Say {
    /// In English.
    fn en(&self) -> String;
    /// In Simplified Chinese.
    fn zh(&self) -> String;
    /// In `lang`.
    fn say(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.en(),
            Lang::ZhCn => self.zh(),
        }
    }
}

impl Lang {
    /// Both languages, in the order the switch shows them.
    pub const ALL: [Lang; 2] = [Lang::ZhCn, Lang::En];

    /// The language a locale name stands for: Chinese for any Chinese locale (`zh`,
    /// `zh_CN`, `zh-Hans-CN`, `zh_SG`, and for now `zh_TW` / `zh_HK` too, which get
    /// Simplified Chinese until there is a Traditional one), English for anything else.
    /// Accepts POSIX (`zh_CN.UTF-8@euro`) and BCP 47 (`zh-Hans-CN`) spellings.
    pub fn from_locale(locale: &str) -> Lang {
        let language = locale
            .split(['_', '-', '.', '@'])
            .next()
            .unwrap_or_default();
        if language.eq_ignore_ascii_case("zh") {
            Lang::ZhCn
        } else {
            Lang::En
        }
    }

    /// Reads a `--lang` value: `zh-CN` (also `zh`, `zh_CN`, `cn`) or `en`.
    pub fn from_flag(value: &str) -> Option<Lang> {
        match value.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "zh-cn" | "zh" | "cn" | "zh-hans" => Some(Lang::ZhCn),
            "en" | "en-us" | "en-gb" => Some(Lang::En),
            _ => None,
        }
    }

    /// Its code, as `--lang` and the settings file spell it: `zh-CN` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }

    /// How the language names itself on the switch.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::ZhCn => "中文",
        }
    }
}

/// A fixed pair of words, for texts with no arguments.
impl Say for (&str, &str) {
    fn en(&self) -> String {
        self.0.to_owned()
    }
    fn zh(&self) -> String {
        self.1.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_locales_give_chinese_and_the_rest_english() {
        for zh in [
            "zh",
            "zh_CN",
            "zh_CN.UTF-8",
            "zh-CN",
            "zh-Hans",
            "zh-Hans-CN",
            "zh_SG",
            "zh-Hans-SG",
            "zh_TW",
            "zh-Hant-TW",
            "zh_HK.UTF-8",
            "ZH_cn",
        ] {
            assert_eq!(Lang::from_locale(zh), Lang::ZhCn, "{zh}");
        }
        for en in [
            "en_US.UTF-8",
            "en",
            "C",
            "POSIX",
            "",
            "de_DE",
            "ja_JP",
            "zu_ZA",
            "zha",
        ] {
            assert_eq!(Lang::from_locale(en), Lang::En, "{en}");
        }
    }

    #[test]
    fn the_flag_takes_both_spellings() {
        assert_eq!(Lang::from_flag("zh-CN"), Some(Lang::ZhCn));
        assert_eq!(Lang::from_flag("zh_CN"), Some(Lang::ZhCn));
        assert_eq!(Lang::from_flag("en"), Some(Lang::En));
        assert_eq!(Lang::from_flag("fr"), None);
    }

    #[test]
    fn settings_spellings_are_stable() {
        assert_eq!(
            serde_json::to_string(&Lang::ZhCn).ok().as_deref(),
            Some("\"zh-CN\"")
        );
        assert_eq!(
            serde_json::to_string(&Lang::En).ok().as_deref(),
            Some("\"en\"")
        );
    }
}
