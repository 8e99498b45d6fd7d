//! The words of the class at a glance (issue 23): how long a student has waited, how long one has been silent, and the turn line
//! that names whose turn it is.

use crate::core::lang::Say;

/// What the conversation list and the turn line say about a class's rows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClassWords {
    /// How long a student has waited for the user's answer.
    Waited {
        /// Whole minutes (0: less than one).
        minutes: u32,
    },
    /// A student who has said nothing for a while.
    Silent {
        /// Whole minutes.
        minutes: u32,
    },
    /// The turn line when the user's turn is to answer a named student.
    YourTurnNamed {
        /// The student's name.
        name: String,
    },
    /// The turn line while a named student is to answer.
    WaitingForNamed {
        /// The student's name.
        name: String,
    },
}

impl Say for ClassWords {
    fn en(&self) -> String {
        match self {
            ClassWords::Waited { minutes: 0 } => "<1 min".to_owned(),
            ClassWords::Waited { minutes } => format!("{minutes} min"),
            ClassWords::Silent { minutes } => format!("silent {minutes} min"),
            ClassWords::YourTurnNamed { name } => format!("Your turn — {name} is waiting"),
            ClassWords::WaitingForNamed { name } => format!("Waiting for {name} to reply…"),
        }
    }

    fn zh(&self) -> String {
        match self {
            ClassWords::Waited { minutes: 0 } => "不到 1 分钟".to_owned(),
            ClassWords::Waited { minutes } => format!("{minutes} 分钟"),
            ClassWords::Silent { minutes } => format!("{minutes} 分钟未发言"),
            ClassWords::YourTurnNamed { name } => format!("轮到你了 — {name} 在等你回复"),
            ClassWords::WaitingForNamed { name } => format!("等待 {name} 回复…"),
        }
    }
}

/// One sample of each variant, for the catalogue's checks (both languages, every argument).
#[cfg(test)]
pub(crate) fn samples(out: &mut Vec<super::samples::Sample>) {
    use super::samples::{COUNT, DETAIL, Sample};
    let count = COUNT.to_string();
    let minutes = u32::try_from(COUNT).unwrap_or(u32::MAX);
    let list = [
        (ClassWords::Waited { minutes: 0 }, vec!["1"]),
        (ClassWords::Waited { minutes }, vec![count.as_str()]),
        (ClassWords::Silent { minutes }, vec![count.as_str()]),
        (
            ClassWords::YourTurnNamed {
                name: DETAIL.into(),
            },
            vec![DETAIL],
        ),
        (
            ClassWords::WaitingForNamed {
                name: DETAIL.into(),
            },
            vec![DETAIL],
        ),
    ];
    for (value, markers) in list {
        let variant = match value {
            ClassWords::Waited { .. } => 0,
            ClassWords::Silent { .. } => 1,
            ClassWords::YourTurnNamed { .. } => 2,
            ClassWords::WaitingForNamed { .. } => 3,
        };
        out.push(Sample {
            ty: "ClassWords",
            variant,
            variants: 4,
            value: Box::new(value),
            markers: markers.iter().map(|m| (*m).to_owned()).collect(),
        });
    }
}
