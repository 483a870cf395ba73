//! The aquarium's creatures, all drawn here for fun (no art from asciiquarium or anywhere
//! else), facing right; [`mirror_line`] turns them around.

/// How a creature moves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Motion {
    /// Across the tank at a steady height.
    Swim,
    /// Slowly across while pulsing up and down.
    Drift,
    /// Along the sand.
    Walk,
    /// Along the surface.
    Surface,
}

/// A creature: frames of art (facing right), colour, motion, speed (cells/s) and rarity.
pub struct Art {
    pub name: &'static str,
    pub frames: &'static [&'static [&'static str]],
    pub mirror: bool,
    pub color: Option<(u8, u8, u8)>,
    pub motion: Motion,
    pub speed: (f32, f32),
    /// Relative chance of being picked.
    pub weight: u32,
}

/// The creatures, all drawn for fun.
pub const CATALOGUE: &[Art] = &[
    Art {
        name: "tetra",
        frames: &[&[">=°>"]],
        mirror: true,
        color: None,
        motion: Motion::Swim,
        speed: (5.0, 9.0),
        weight: 10,
    },
    Art {
        name: "stripey",
        frames: &[&["  ,---.", ">{|||| o>", "  `---'"]],
        mirror: true,
        color: None,
        motion: Motion::Swim,
        speed: (3.0, 6.0),
        weight: 8,
    },
    Art {
        name: "puffer",
        frames: &[&["   .^^^^.", " =(    o )>", "   '^^^^'"]],
        mirror: true,
        color: Some((230, 200, 60)),
        motion: Motion::Swim,
        speed: (1.5, 3.0),
        weight: 4,
    },
    Art {
        name: "angel",
        frames: &[&["   .|\\", " |\\/ o \\", " |/\\   /", "   `|/"]],
        mirror: true,
        color: None,
        motion: Motion::Swim,
        speed: (2.0, 4.0),
        weight: 5,
    },
    Art {
        name: "turtle",
        frames: &[
            &["    .-----.", " __/#######\\_o", "   /_/   /_/"],
            &["    .-----.", " __/#######\\_o", "   \\_\\   \\_\\"],
        ],
        mirror: true,
        color: Some((90, 170, 80)),
        motion: Motion::Swim,
        speed: (1.0, 2.0),
        weight: 2,
    },
    Art {
        name: "octopus",
        frames: &[
            &["  .---.", " ( o o )", " /|/|/|"],
            &["  .---.", " ( o o )", " |\\|\\|\\"],
        ],
        mirror: false,
        color: Some((210, 90, 150)),
        motion: Motion::Drift,
        speed: (0.8, 1.6),
        weight: 2,
    },
    Art {
        name: "jellyfish",
        frames: &[
            &["  .-~-.", " (_____)", "  ( ) (", "  ) ( )"],
            &["  .-~-.", " (_____)", "  ) ( )", "  ( ) ("],
        ],
        mirror: false,
        color: Some((190, 150, 255)),
        motion: Motion::Drift,
        speed: (0.3, 0.8),
        weight: 3,
    },
    Art {
        name: "crab",
        frames: &[&[" \\o o/", " (___)", " /| |\\"], &[" \\o o/", " (___)", " \\| |/"]],
        mirror: false,
        color: Some((230, 80, 50)),
        motion: Motion::Walk,
        speed: (1.0, 2.5),
        weight: 2,
    },
    Art {
        name: "seahorse",
        frames: &[&[" ,_", " (o>", "  )|", " (_|", "  ')"]],
        mirror: true,
        color: Some((250, 170, 60)),
        motion: Motion::Drift,
        speed: (0.5, 1.0),
        weight: 2,
    },
    Art {
        name: "submarine",
        frames: &[&[
            "        _|_",
            "   ____|___|____",
            " =(  o   o   o  )",
            "   \\____________/",
        ]],
        mirror: true,
        color: Some((240, 210, 60)),
        motion: Motion::Swim,
        speed: (1.5, 2.5),
        weight: 1,
    },
    Art {
        name: "whale",
        frames: &[&["        _______", " \\/\\__/    o   \\_", " /\\   \\________/"]],
        mirror: true,
        color: Some((110, 140, 200)),
        motion: Motion::Surface,
        speed: (1.0, 1.8),
        weight: 1,
    },
];

/// A right-facing character turned to face left.
pub fn mirror_char(c: char) -> char {
    match c {
        '<' => '>',
        '>' => '<',
        '(' => ')',
        ')' => '(',
        '/' => '\\',
        '\\' => '/',
        '[' => ']',
        ']' => '[',
        '{' => '}',
        '}' => '{',
        '`' => '\'',
        '\'' => '`',
        other => other,
    }
}

/// A line of art facing the other way (padded to `width` first, so rows stay aligned).
pub fn mirror_line(line: &str, width: usize) -> String {
    let padded = format!("{line:<width$}");
    padded.chars().rev().map(mirror_char).collect::<String>()
}

pub fn art_width(frame: &[&str]) -> usize {
    frame.iter().map(|l| l.chars().count()).max().unwrap_or(0)
}
