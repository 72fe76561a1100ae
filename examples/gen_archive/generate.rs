//! The generator behind `gen_archive`: a synthetic annalist archive that is the same,
//! byte for byte, for the same story count and seed, on every platform.
//!
//! Randomness comes from splitmix64 streams keyed by (seed, purpose, story index), and
//! the only floating point is `+ - * /` (no `powf`, whose last bit may differ between
//! platforms' maths libraries).
//!
//! What it guarantees, so that `annalist check` finds nothing:
//!
//! - filler text comes from fixed lowercase phrases; the only capitalised words are
//!   sentence starts (taken from the same phrases) and people's names;
//! - surnames are made of fixed-width syllable codes (a bijection of the person's
//!   index), so every surname and every full name is unique, and none is a filler word
//!   or a first name (checked before anything is written);
//! - every person of the registry is listed in at least one story;
//! - the only double quotation marks in a story surround its quotes, and every quote's
//!   words, and every note's phrase, occur exactly once in the story's visible text
//!   (checked on a plain-text twin of the Markdown; a story that fails is drawn again);
//! - every quote id is unique across the archive: a quote whose id, as annalist
//!   derives it ([`derive_quote_id`]), is already taken gets an explicit `id` instead
//!   (the same speaker and first words with the same 24-bit hash do occur among the
//!   quotes of 100,000 stories).

use std::collections::{BTreeSet, HashSet};
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use annalist::anchor::{derive_quote_id, Speaker};

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    /// Number of stories.
    pub stories: usize,
    /// Seed of every random choice.
    pub seed: u64,
    /// The archive folder (must be absent or empty).
    pub out: PathBuf,
    /// Also write a Hugo site here (must be absent or empty).
    pub hugo: Option<PathBuf>,
}

/// What was written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// The archive folder.
    pub out: PathBuf,
    /// Stories written.
    pub stories: usize,
    /// People in the registry.
    pub people: usize,
    /// `[[quote]]` entries.
    pub quotes: usize,
    /// Quotes given an explicit `id` because the id annalist would derive for them
    /// was already taken.
    pub quote_id_collisions: usize,
    /// `[[link]]` entries plus `story:` links in the Markdown.
    pub links: usize,
    /// `[[note]]` entries.
    pub notes: usize,
    /// Words of story text (as a reader sees it).
    pub words: usize,
    /// Files written to the archive folder.
    pub files: usize,
    /// Bytes written to the archive folder.
    pub bytes: u64,
    /// Stories the most frequent person appears in.
    pub top_person_stories: usize,
    /// The Hugo folder and the files written there, if asked for.
    pub hugo: Option<(PathBuf, usize)>,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "wrote {} stories ({} words), {} people, {} quotes, {} links, {} notes",
            self.stories, self.words, self.people, self.quotes, self.links, self.notes
        )?;
        write!(
            f,
            "      {} files, {} bytes in {} (the most frequent person is in {} stories)",
            self.files,
            self.bytes,
            self.out.display(),
            self.top_person_stories
        )?;
        match self.quote_id_collisions {
            0 => {}
            1 => write!(
                f,
                "\n      1 quote given an explicit id: the id annalist derives was taken"
            )?,
            n => write!(
                f,
                "\n      {n} quotes given an explicit id: the ids annalist derives were taken"
            )?,
        }
        if let Some((dir, files)) = &self.hugo {
            write!(f, "\nhugo: {} files in {}", files, dir.display())?;
        }
        Ok(())
    }
}

/// Writes the archive (and the Hugo site) described by `options`.
pub fn generate(options: &Options) -> Result<Summary, String> {
    if options.stories == 0 {
        return Err("--stories must be at least 1".into());
    }
    ensure_empty(&options.out)?;
    if let Some(hugo) = &options.hugo {
        if hugo == &options.out {
            return Err("the Hugo folder must differ from the archive folder".into());
        }
        ensure_empty(hugo)?;
    }

    let people = registry(options.stories, options.seed)?;
    let plans = plan_stories(options.stories, options.seed, people.len());
    let mut stories = Vec::with_capacity(plans.len());
    for plan in &plans {
        stories.push(write_story(plan, &plans, &people, options.seed)?);
    }
    let quote_id_collisions = pin_colliding_quote_ids(&plans, &mut stories, &people);

    let mut out = Writer::new(&options.out);
    out.file("archive.toml", &archive_toml(options))?;
    for person in &people {
        out.file(
            &format!("content/people/{}.md", person.id),
            &person_md(person),
        )?;
    }
    let mut summary = Summary {
        out: options.out.clone(),
        stories: stories.len(),
        people: people.len(),
        quote_id_collisions,
        ..Summary::default()
    };
    let mut appearances = vec![0usize; people.len()];
    for (plan, story) in plans.iter().zip(&stories) {
        let dir = format!("content/stories/{}", plan.date.0);
        out.file(
            &format!("{dir}/{}.md", plan.slug),
            &story_md(plan, &story.body),
        )?;
        out.file(
            &format!("{dir}/{}.ann.toml", plan.slug),
            &sidecar_toml(plan, &plans, story, &people),
        )?;
        summary.quotes += story.quotes.len();
        summary.links += plan.links.len() + usize::from(story.story_link.is_some());
        summary.notes += 1;
        summary.words += story.words;
        for &p in &plan.people {
            appearances[p] += 1;
        }
    }
    summary.files = out.files;
    summary.bytes = out.bytes;
    summary.top_person_stories = appearances.iter().copied().max().unwrap_or(0);

    if let Some(dir) = &options.hugo {
        summary.hugo = Some((
            dir.clone(),
            write_hugo(dir, options, &plans, &stories, &people)?,
        ));
    }
    Ok(summary)
}

fn ensure_empty(dir: &Path) -> Result<(), String> {
    match fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                Err(format!(
                    "{} is not empty: gen_archive only writes into an empty or new folder",
                    dir.display()
                ))
            } else {
                Ok(())
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!(
            "cannot use {} as the output folder: {e}",
            dir.display()
        )),
    }
}

struct Writer {
    root: PathBuf,
    /// Folders already made.
    dirs: BTreeSet<PathBuf>,
    files: usize,
    bytes: u64,
}

impl Writer {
    fn new(root: &Path) -> Self {
        Writer {
            root: root.to_path_buf(),
            dirs: BTreeSet::new(),
            files: 0,
            bytes: 0,
        }
    }

    fn file(&mut self, rel: &str, text: &str) -> Result<(), String> {
        let path = self.root.join(rel);
        if let Some(parent) = path.parent() {
            if !self.dirs.contains(parent) {
                fs::create_dir_all(parent)
                    .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
                self.dirs.insert(parent.to_path_buf());
            }
        }
        fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        self.files += 1;
        self.bytes += text.len() as u64;
        Ok(())
    }
}

// ---------------------------------------------------------------------------------
// Randomness

/// splitmix64: tiny, fast, and the same everywhere.
struct Rng(u64);

const GOLDEN: u64 = 0x9e37_79b9_7f4a_7c15;

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl Rng {
    /// An independent stream for `seed` and the given keys.
    fn stream(seed: u64, keys: &[u64]) -> Self {
        let mut state = mix(seed ^ 0x5eed_a11a_1157_0001);
        for &key in keys {
            state = mix(state ^ mix(key.wrapping_add(GOLDEN)));
        }
        Rng(state)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GOLDEN);
        mix(self.0)
    }

    /// A number in `0..n` (`n > 0`); the modulo bias is far below anything visible here.
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    fn pick<'a, T: ?Sized>(&mut self, items: &'a [&'a T]) -> &'a T {
        items[self.below(items.len())]
    }

    /// True with probability `percent`/100.
    fn percent(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// A float in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

// Stream keys.
const K_REGISTRY: u64 = 1;
const K_PLAN: u64 = 2;
const K_TEXT: u64 = 3;

/// `r^-1.1`, with `r^0.1` found by Newton's method from above (basic operations only).
fn zipf_weight(rank: usize) -> f64 {
    let r = rank as f64;
    let mut x = if r > 1024.0 { r } else { 2.0 };
    loop {
        let x9 = x * x * x * x * x * x * x * x * x;
        let next = (9.0 * x + r / x9) / 10.0;
        if next >= x {
            break;
        }
        x = next;
    }
    1.0 / (r * x)
}

// ---------------------------------------------------------------------------------
// Vocabulary: every phrase is lowercase; names are the only capitalised words.

const SUBJECTS: &[&str] = &[
    "the council",
    "the city",
    "the committee",
    "the auditor",
    "the planning board",
    "the water authority",
    "residents",
    "the contractor",
    "officials",
    "the finance office",
    "the inspectorate",
    "the ombudsman",
    "the harbour board",
    "the union",
    "the tenants association",
    "the transport agency",
    "the school district",
    "the regional court",
    "the utility",
    "councillors",
];

const VERBS: &[&str] = &[
    "approved",
    "delayed",
    "questioned",
    "reviewed",
    "rejected",
    "published",
    "revised",
    "defended",
    "postponed",
    "extended",
    "audited",
    "challenged",
    "funded",
    "scrapped",
    "endorsed",
    "amended",
    "reopened",
    "criticised",
];

const OBJECTS: &[&str] = &[
    "the budget",
    "the contract",
    "a proposal",
    "the tender",
    "the timetable",
    "the report",
    "the plan",
    "the new rules",
    "the audit",
    "the bylaw",
    "the permit",
    "the settlement",
    "the consultation",
    "the spending review",
    "the draft agreement",
    "the inspection schedule",
    "the rent freeze",
    "the bridge repairs",
    "the bus network",
    "the school merger",
];

const MODIFIERS: &[&str] = &[
    "last week",
    "this spring",
    "after a long debate",
    "without a vote",
    "behind closed doors",
    "in a narrow vote",
    "for the second time",
    "earlier this year",
    "after months of delay",
    "at a crowded meeting",
    "despite objections",
    "with little notice",
    "late in the evening",
    "ahead of the deadline",
    "under pressure from residents",
];

const CLAUSES: &[&str] = &[
    "although the figures were incomplete",
    "because the deadline had passed",
    "after the costs rose sharply",
    "while the review continued",
    "before the election",
    "as pressure mounted",
    "even though the numbers did not add up",
    "once the lawyers had signed off",
    "until the inspectors report back",
    "so that work could start in the autumn",
];

const WHEN: &[&str] = &[
    "next month",
    "before the summer",
    "after the election",
    "within weeks",
    "later this year",
    "at the next full meeting",
];

const ADJECTIVES: &[&str] = &[
    "incomplete",
    "unusual",
    "late",
    "contested",
    "expensive",
    "overdue",
    "provisional",
    "confidential",
    "unprecedented",
    "misleading",
];

const DOCS: &[&str] = &[
    "report",
    "memo",
    "audit",
    "briefing",
    "review",
    "minutes",
    "assessment",
    "filing",
];

/// (how the text introduces them, their role's title in the registry)
const ROLES: &[(&str, &str)] = &[
    (
        "who chairs the finance committee",
        "Chair of the finance committee",
    ),
    (
        "a member of the planning board",
        "Member of the planning board",
    ),
    (
        "the head of the water authority",
        "Head of the water authority",
    ),
    ("a senior auditor", "Senior auditor"),
    (
        "a spokesperson for the contractor",
        "Spokesperson for the contractor",
    ),
    ("a former councillor", "City councillor"),
    (
        "who leads the tenants association",
        "Leader of the tenants association",
    ),
    ("the city treasurer", "City treasurer"),
    ("a union organiser", "Union organiser"),
    ("an engineer at the utility", "Engineer at the utility"),
    (
        "the transport agency director",
        "Director of the transport agency",
    ),
    ("a lawyer for the residents", "Lawyer for the residents"),
    (
        "who sits on the harbour board",
        "Member of the harbour board",
    ),
    ("the deputy ombudsman", "Deputy ombudsman"),
    ("a school governor", "School governor"),
];

// Direct quotes: OPENER + STANCE + TOPIC + ENDING.
const Q_OPENERS: &[&str] = &[
    "we will",
    "nobody here will",
    "this council will",
    "the public will",
    "our office will",
    "every resident will",
    "people in this city will",
    "the board will",
    "my colleagues will",
    "none of us will",
];

const Q_STANCES: &[&str] = &[
    "not accept",
    "keep asking about",
    "never support",
    "have to pay for",
    "remember",
    "not forget",
    "need answers about",
    "look again at",
    "keep pressing on",
    "not sign off on",
];

const Q_TOPICS: &[&str] = &[
    "a budget that hides its own costs",
    "another delay at the water plant",
    "the missing pages of the tender file",
    "a contract nobody has read in full",
    "the closed meetings of the last year",
    "promises that were never costed",
    "the late changes to the scoring",
    "a plan that moves the risk onto tenants",
    "the quiet rewriting of the rules",
    "a review that was finished before it began",
];

const Q_ENDINGS: &[&str] = &[
    "",
    "",
    " for as long as it takes",
    " before anything else is signed",
    " and we will say so in public",
    " this year or next",
    " whatever the minister decides",
];

// Partial quotes: ARTICLE + JUDGEMENT + THING + TAIL.
const P_ARTICLES: &[&str] = &["a", "the", "another"];
const P_JUDGEMENTS: &[&str] = &[
    "reckless",
    "careless",
    "shameful",
    "sensible",
    "long awaited",
    "badly drafted",
    "costly",
    "cynical",
];
const P_THINGS: &[&str] = &[
    "gamble",
    "mistake",
    "compromise",
    "decision",
    "deal",
    "shortcut",
    "step",
];
const P_TAILS: &[&str] = &[
    " for the whole city",
    " that nobody asked for",
    " made behind closed doors",
    " with public money",
    " dressed up as reform",
];

const SLUG_WORDS: &[&str] = &[
    "budget",
    "contract",
    "tender",
    "audit",
    "bylaw",
    "permit",
    "settlement",
    "review",
    "harbour",
    "water",
    "transport",
    "housing",
    "schools",
    "bridge",
    "council",
    "court",
    "union",
    "rent",
    "inspection",
    "vote",
];

const FIRST_NAMES: &[&str] = &[
    "Ada", "Bruno", "Clara", "Dmitri", "Edith", "Felix", "Greta", "Hugo", "Ines", "Jonas", "Kira",
    "Leon", "Maren", "Nils", "Olga", "Pavel", "Quinn", "Rosa", "Stefan", "Tilde", "Ulla", "Viktor",
    "Wanda", "Xavier", "Yara", "Zeno", "Agnes", "Boris", "Celia", "Dorian", "Elena", "Frida",
    "Gideon", "Hanna", "Ivo", "Jana", "Kasimir", "Lotte", "Milan", "Nora", "Oskar", "Petra",
    "Rafael", "Sabine", "Tomas", "Ursula", "Vera", "Walter", "Lena", "Emil", "Ida", "Anton",
    "Mila", "Jakob", "Selma", "Arvid", "Livia", "Konrad", "Irene", "Matteo", "Dana", "Elias",
    "Fiona", "Gustav",
];

/// Two-letter syllables: fixed width, so a sequence of them decodes one way only.
const SYLLABLES: [&str; 26] = [
    "ba", "bo", "da", "de", "do", "fa", "ga", "go", "ka", "ke", "ko", "la", "lo", "ma", "mi", "na",
    "no", "pa", "ra", "re", "ri", "sa", "ta", "to", "va", "zo",
];
const SURNAME_ENDINGS: &[&str] = &["vik", "dran", "sk", "mir", "lund", "zen"];

const SOURCES: &[(&str, &str)] = &[
    ("The Harbour Ledger", "ledger"),
    ("Northgate Courier", "courier"),
    ("Tidewater Public Radio", "tidewater"),
    ("Civic Review Weekly", "civic-review"),
    ("The Evening Dispatch", "dispatch"),
];

const AUTHORS: &[&str] = &[
    "Greta Lindqvist-Moor",
    "Desmond Achterberg",
    "Maya Okonkwo-Hale",
    "Rupert Vanstone",
    "Ilona Szabados",
    "Theo Marchetti",
    "Saoirse Delaney",
    "Kwame Asante-Bright",
];

const TAGS: &[&str] = &[
    "budget",
    "transport",
    "housing",
    "water",
    "courts",
    "schools",
    "elections",
    "health",
    "environment",
    "contracts",
    "policing",
    "planning",
];

/// Every word the story text is made of, apart from names and numbers.
fn filler_words() -> BTreeSet<String> {
    let lists: &[&[&str]] = &[
        SUBJECTS,
        VERBS,
        OBJECTS,
        MODIFIERS,
        CLAUSES,
        WHEN,
        ADJECTIVES,
        DOCS,
        Q_OPENERS,
        Q_STANCES,
        Q_TOPICS,
        Q_ENDINGS,
        P_ARTICLES,
        P_JUDGEMENTS,
        P_THINGS,
        P_TAILS,
        SLUG_WORDS,
        FIXED_PHRASES,
    ];
    let mut words = BTreeSet::new();
    for list in lists {
        for phrase in *list {
            for word in phrase.split(|c: char| !c.is_ascii_alphabetic()) {
                if !word.is_empty() {
                    words.insert(word.to_string());
                }
            }
        }
    }
    for (intro, _) in ROLES {
        words.extend(intro.split(' ').map(str::to_string));
    }
    for n in 0..1000u64 {
        words.extend(spell(n).split(' ').map(str::to_string));
    }
    words
}

/// The fixed words of the sentence forms below (kept in one place so they can be checked).
const FIXED_PHRASES: &[&str] = &[
    "the cost of rose by percent",
    "critics said had",
    "has have times since",
    "a vote on is expected",
    "records show that",
    "spent million on",
    "the figures were according to",
    "called the timing",
    "published the full",
    "the background is in an earlier report on",
    "the details are in filed as item which released",
    "listed findings",
    "of was never spent",
    "concluded",
    "the process was from the start",
    "declined to comment on",
    "has followed since",
    "asked about pointed to instead",
    "said told reporters in a written statement said that",
    "described as and declined to say more",
    "zero one two three four five six seven eight nine",
];

// ---------------------------------------------------------------------------------
// People

struct Person {
    id: String,
    first: &'static str,
    last: String,
    role: usize,
    since: (u32, u32, u32),
}

impl Person {
    fn full(&self) -> String {
        format!("{} {}", self.first, self.last)
    }
}

/// max(N/5, 10) people; index = Zipf rank - 1.
fn registry(stories: usize, seed: u64) -> Result<Vec<Person>, String> {
    let count = (stories / 5).max(10);
    let mut rng = Rng::stream(seed, &[K_REGISTRY]);
    let mut width = 2u32;
    while 26u64.pow(width) < count as u64 {
        width += 1;
    }
    let space = 26u64.pow(width);
    // i ↦ (a·i + b) mod 26^width is a bijection when a is odd and not a multiple of 13.
    let mut a = (rng.next_u64() % (space / 2)) * 2 + 1;
    if a.is_multiple_of(13) {
        a = (a + 2) % space;
    }
    let b = rng.next_u64() % space;
    let shifts: Vec<usize> = (0..width).map(|_| rng.below(26)).collect();

    let words = filler_words();
    let firsts: BTreeSet<String> = FIRST_NAMES.iter().map(|f| f.to_lowercase()).collect();
    for f in &firsts {
        if words.contains(f) {
            return Err(format!("first name `{f}` is also a filler word"));
        }
    }
    let mut people = Vec::with_capacity(count);
    let mut seen = BTreeSet::new();
    for i in 0..count {
        let mut code = (a.wrapping_mul(i as u64 % space) % space + b) % space;
        // Each base-26 digit is shifted by the digits below it (a triangular map, so still
        // a bijection), so that neighbouring codes differ in every syllable.
        let mut syllables = Vec::new();
        let mut carry = 0usize;
        for shift in &shifts {
            let digit = (code % 26) as usize;
            code /= 26;
            syllables.push(SYLLABLES[(digit + carry + shift) % 26]);
            carry = (carry * 7 + digit * 11 + 3) % 26;
        }
        let lower = format!(
            "{}{}",
            syllables.concat(),
            SURNAME_ENDINGS[i % SURNAME_ENDINGS.len()]
        );
        if words.contains(&lower) || firsts.contains(&lower) || !seen.insert(lower.clone()) {
            return Err(format!("generated surname `{lower}` is not unique"));
        }
        let last = capitalise(&lower);
        let first = FIRST_NAMES[rng.below(FIRST_NAMES.len())];
        let id = format!("{}-{}", first.to_lowercase(), lower);
        let since = (2005 + rng.below(10) as u32, 1 + rng.below(12) as u32, 1);
        people.push(Person {
            id,
            first,
            last,
            role: rng.below(ROLES.len()),
            since,
        });
    }
    Ok(people)
}

fn person_md(p: &Person) -> String {
    let (intro, title) = ROLES[p.role];
    format!(
        "+++\nname = {}\naliases = [{}]\ndescription = {}\nroles = [\n  {{ title = {}, from = {:04}-{:02}-{:02} }},\n]\n+++\n\n{}, {}, is a generated person.\n",
        toml_str(&p.full()),
        toml_str(&p.last),
        toml_str(&format!("{title} (generated for benchmarks).")),
        toml_str(title),
        p.since.0,
        p.since.1,
        p.since.2,
        p.full(),
        intro,
    )
}

// ---------------------------------------------------------------------------------
// Story plans: everything but the text

struct Plan {
    index: usize,
    slug: String,
    date: (u32, u32, u32),
    title: String,
    source: usize,
    authors: Vec<&'static str>,
    tags: Vec<&'static str>,
    /// Person indices, in the order the story introduces them.
    people: Vec<usize>,
    /// (earlier story index, relation)
    links: Vec<(usize, &'static str)>,
    /// An earlier story linked from the Markdown with `story:`.
    story_link: Option<usize>,
}

fn plan_stories(n: usize, seed: u64, people: usize) -> Vec<Plan> {
    let mut cumulative = Vec::with_capacity(people);
    let mut total = 0.0;
    for rank in 1..=people {
        total += zipf_weight(rank);
        cumulative.push(total);
    }
    // Every person is listed at least once: person j is forced into story j·n/people.
    let mut forced: Vec<Vec<usize>> = vec![Vec::new(); n];
    for j in 0..people {
        forced[j * n / people].push(j);
    }
    // Dates: 2015-01-01 .. 2024-12-31, in story order.
    let first_day = days_from_civil(2015, 1, 1);
    let span = days_from_civil(2025, 1, 1) - first_day;

    let mut plans = Vec::with_capacity(n);
    for (i, forced) in forced.iter().enumerate() {
        let mut rng = Rng::stream(seed, &[K_PLAN, i as u64]);
        let date = civil_from_days(first_day + (i as i64 * span) / n as i64);
        let w1 = rng.pick(SLUG_WORDS);
        let mut w2 = rng.pick(SLUG_WORDS);
        while w2 == w1 {
            w2 = rng.pick(SLUG_WORDS);
        }
        let slug = format!("s{i:06}-{w1}-{w2}");

        let want = rng.range(3, 8).min(people).max(forced.len());
        let mut chosen: Vec<usize> = Vec::with_capacity(want);
        while chosen.len() + forced.len() < want {
            let u = rng.unit() * total;
            let p = cumulative.partition_point(|&c| c <= u).min(people - 1);
            if !chosen.contains(&p) && !forced.contains(&p) {
                chosen.push(p);
            }
        }
        for &p in forced {
            let at = rng.below(chosen.len() + 1);
            chosen.insert(at, p);
        }

        let mut links = Vec::new();
        if i > 0 {
            let count = rng.below(4).min(i);
            while links.len() < count {
                let target = if rng.percent(50) {
                    i - 1 - rng.below(i.min(20))
                } else {
                    rng.below(i)
                };
                if links.iter().all(|&(t, _)| t != target) {
                    let relation = if rng.percent(60) {
                        "follow-up"
                    } else {
                        "background"
                    };
                    links.push((target, relation));
                }
            }
        }
        let story_link = (i > 0 && rng.percent(30)).then(|| rng.below(i));

        let source = rng.below(SOURCES.len());
        let mut authors = vec![rng.pick(AUTHORS)];
        if rng.percent(25) {
            let second = rng.pick(AUTHORS);
            if second != authors[0] {
                authors.push(second);
            }
        }
        let mut tags = Vec::new();
        for _ in 0..rng.below(4) {
            let tag = rng.pick(TAGS);
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        let title = capitalise(&format!(
            "{} {} {} {}",
            rng.pick(SUBJECTS),
            rng.pick(VERBS),
            rng.pick(OBJECTS),
            rng.pick(MODIFIERS)
        ));
        plans.push(Plan {
            index: i,
            slug,
            date,
            title,
            source,
            authors,
            tags,
            people: chosen,
            links,
            story_link,
        });
    }
    plans
}

// ---------------------------------------------------------------------------------
// Story text

/// A sentence: its Markdown and the text a reader sees.
struct Inline {
    md: String,
    plain: String,
}

impl Inline {
    fn plain(text: String) -> Self {
        Inline {
            md: text.clone(),
            plain: text,
        }
    }
}

enum Block {
    Para(Vec<Inline>),
    List(Vec<Inline>),
    Quote(Vec<Inline>),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Direct,
    Partial,
    Written,
}

struct QuoteSpec {
    speaker: usize,
    text: String,
    kind: Kind,
    disputed: bool,
    about: Option<usize>,
    /// The sidecar's explicit `id`; without one, annalist derives it.
    id: Option<String>,
}

struct Story {
    body: String,
    words: usize,
    quotes: Vec<QuoteSpec>,
    note_text: String,
    note_body: String,
    story_link: Option<usize>,
}

fn write_story(plan: &Plan, plans: &[Plan], people: &[Person], seed: u64) -> Result<Story, String> {
    for attempt in 0..200u64 {
        let mut rng = Rng::stream(seed, &[K_TEXT, plan.index as u64, attempt]);
        if let Some(story) = draft_story(plan, plans, people, &mut rng) {
            return Ok(story);
        }
    }
    Err(format!(
        "could not draw a valid text for story {}",
        plan.slug
    ))
}

fn filler(rng: &mut Rng) -> Inline {
    let s = rng.pick(SUBJECTS);
    let v = rng.pick(VERBS);
    let o = rng.pick(OBJECTS);
    let m = rng.pick(MODIFIERS);
    let c = rng.pick(CLAUSES);
    let text = match rng.below(9) {
        0 => format!("{s} {v} {o} {m}."),
        1 => format!("{s} {v} {o} {c}."),
        2 => format!("{m}, {s} {v} {o}."),
        3 => format!("the cost of {o} rose by {} percent {m}.", rng.range(2, 95)),
        4 => format!("critics said {s} had {v} {o} {c}."),
        5 => format!(
            "{s} {} {v} {o} {} times since {}.",
            if s.starts_with("the ") { "has" } else { "have" },
            rng.range(2, 9),
            rng.range(2001, 2014)
        ),
        6 => format!("a vote on {o} is expected {}.", rng.pick(WHEN)),
        7 => format!("records show that {s} {v} {o} {m}."),
        _ => format!(
            "{s} spent ${}.{} million on {o} {m}.",
            rng.range(1, 60),
            rng.below(10)
        ),
    };
    Inline::plain(capitalise(&text))
}

fn direct_quote(rng: &mut Rng) -> String {
    format!(
        "{} {} {}{}",
        rng.pick(Q_OPENERS),
        rng.pick(Q_STANCES),
        rng.pick(Q_TOPICS),
        rng.pick(Q_ENDINGS)
    )
}

fn partial_quote(rng: &mut Rng) -> String {
    format!(
        "{} {} {}{}",
        rng.pick(P_ARTICLES),
        rng.pick(P_JUDGEMENTS),
        rng.pick(P_THINGS),
        rng.pick(P_TAILS)
    )
}

fn draft_story(plan: &Plan, plans: &[Plan], people: &[Person], rng: &mut Rng) -> Option<Story> {
    let target_words = rng.range(640, 1140);
    let listed = &plan.people;

    // Quotes: 1–4, each by one of the story's people.
    let mut quotes: Vec<QuoteSpec> = Vec::new();
    for _ in 0..rng.range(1, 4) {
        let speaker = listed[rng.below(listed.len())];
        let kind = match rng.below(20) {
            0..=11 => Kind::Direct,
            12..=16 => Kind::Partial,
            _ => Kind::Written,
        };
        let text = if kind == Kind::Partial {
            partial_quote(rng)
        } else {
            direct_quote(rng)
        };
        let about = rng
            .percent(30)
            .then(|| listed[rng.below(listed.len())])
            .filter(|&p| p != speaker);
        quotes.push(QuoteSpec {
            speaker,
            text,
            kind,
            disputed: rng.percent(8),
            about,
            id: rng
                .percent(20)
                .then(|| format!("{}-q{}", plan.slug, quotes.len() + 1)),
        });
    }

    // The narrative: each person introduced in full, then by surname, then their quotes.
    let mut units: Vec<Inline> = Vec::new();
    for (n, &p) in listed.iter().enumerate() {
        let person = &people[p];
        let full = person.full();
        let last = &person.last;
        let o = rng.pick(OBJECTS);
        let intro = match rng.below(3) {
            0 => format!(
                "{full}, {}, {} {o} {}.",
                ROLES[person.role].0,
                rng.pick(VERBS),
                rng.pick(MODIFIERS)
            ),
            1 => format!(
                "{}, {full}, {}, {} {o}.",
                capitalise(rng.pick(MODIFIERS)),
                ROLES[person.role].0,
                rng.pick(VERBS)
            ),
            _ => format!("{full} {} {o} {}.", rng.pick(VERBS), rng.pick(CLAUSES)),
        };
        units.push(Inline::plain(intro));
        if n == 0 {
            units.push(filler(rng));
        }
        if rng.percent(50) {
            units.push(filler(rng));
        }
        let o = rng.pick(OBJECTS);
        let by_surname = match rng.below(5) {
            0 => format!("{last} {} {o} {}.", rng.pick(VERBS), rng.pick(CLAUSES)),
            1 => format!(
                "According to {last}, {} {} {o} {}.",
                rng.pick(SUBJECTS),
                rng.pick(VERBS),
                rng.pick(MODIFIERS)
            ),
            2 => format!("{last} declined to comment on {o} {}.", rng.pick(MODIFIERS)),
            3 => format!("{last} has followed {o} since {}.", rng.range(2001, 2014)),
            _ => format!(
                "Asked about {o}, {last} pointed to {} instead.",
                rng.pick(SUBJECTS)
            ),
        };
        units.push(Inline::plain(by_surname));
        for q in quotes.iter().filter(|q| q.speaker == p) {
            let text = &q.text;
            let sentence = match q.kind {
                Kind::Direct => match rng.below(3) {
                    0 => format!("{last} said: \"{text}.\""),
                    1 => format!("{full} told reporters: \"{text}.\""),
                    _ => format!(
                        "Asked about {}, {last} said: \"{text}.\"",
                        rng.pick(OBJECTS)
                    ),
                },
                Kind::Partial => format!(
                    "{last} described {} as \"{text}\" and declined to say more.",
                    rng.pick(OBJECTS)
                ),
                Kind::Written => {
                    format!("In a written statement, {last} said that \"{text}.\"")
                }
            };
            units.push(Inline::plain(sentence));
        }
    }

    // Fixed features, placed anywhere after the opening.
    let doc = rng.pick(DOCS);
    let note_text = format!("the {doc} filed as item {}", spell(plan.index as u64));
    let note = Inline::plain(format!(
        "The details are in {note_text}, which {} released {}.",
        rng.pick(SUBJECTS),
        rng.pick(MODIFIERS)
    ));
    let adj = rng.pick(ADJECTIVES);
    let s = rng.pick(SUBJECTS);
    let emphasis = Inline {
        md: format!("The figures were *{adj}*, according to {s}."),
        plain: format!("The figures were {adj}, according to {s}."),
    };
    let link_doc = rng.pick(DOCS);
    let s = capitalise(rng.pick(SUBJECTS));
    let m = rng.pick(MODIFIERS);
    let web_link = Inline {
        md: format!(
            "{s} published [the full {link_doc}](https://example.com/{}/{}/{}/{link_doc}) {m}.",
            SOURCES[plan.source].1, plan.date.0, plan.slug
        ),
        plain: format!("{s} published the full {link_doc} {m}."),
    };
    let mut extras = vec![note, emphasis, web_link];
    if let Some(target) = plan.story_link {
        let o = rng.pick(OBJECTS);
        extras.push(Inline {
            md: format!(
                "The background is in [an earlier report](story:{}) on {o}.",
                plans[target].slug
            ),
            plain: format!("The background is in an earlier report on {o}."),
        });
    }
    for extra in extras {
        let at = rng.range(2, units.len());
        units.insert(at, extra);
    }

    // A bullet list and a block quote, with their lead-in sentences.
    let list_doc = rng.pick(DOCS);
    let mut items = Vec::new();
    let item_count = rng.range(3, 5);
    for k in 0..item_count {
        if k == 1 {
            let n = rng.range(5, 60);
            let o = rng.pick(OBJECTS);
            items.push(Inline {
                md: format!("**{n} percent** of {o} was never spent."),
                plain: format!("{n} percent of {o} was never spent."),
            });
        } else {
            items.push(filler(rng));
        }
    }
    let list_intro = Inline::plain(format!(
        "The {list_doc} listed {} findings:",
        spell(item_count as u64)
    ));
    let quote_doc = rng.pick(DOCS);
    let adj = rng.pick(ADJECTIVES);
    let quoted = vec![
        filler(rng),
        Inline {
            md: format!("The process was *{adj}* from the start."),
            plain: format!("The process was {adj} from the start."),
        },
        filler(rng),
    ];
    let quote_intro = Inline::plain(format!("The {quote_doc} concluded:"));

    let count = |units: &[Inline]| -> usize {
        units
            .iter()
            .map(|u| u.plain.split_whitespace().count())
            .sum()
    };
    let mut words = count(&units)
        + count(&items)
        + count(&quoted)
        + count(std::slice::from_ref(&list_intro))
        + count(std::slice::from_ref(&quote_intro));
    while words < target_words {
        let unit = filler(rng);
        words += unit.plain.split_whitespace().count();
        let at = rng.range(1, units.len());
        units.insert(at, unit);
    }

    // Paragraphs of 2–5 sentences; the list and block quote go between them.
    let mut paragraphs: Vec<Vec<Inline>> = Vec::new();
    let mut rest = units.into_iter().peekable();
    while rest.peek().is_some() {
        let size = if paragraphs.is_empty() {
            2
        } else {
            rng.range(2, 5)
        };
        paragraphs.push(rest.by_ref().take(size).collect());
    }
    let list_at = 1 + rng.below(paragraphs.len());
    let quote_at = 1 + rng.below(paragraphs.len());
    let mut blocks = Vec::new();
    let mut list = Some((list_intro, items));
    let mut block_quote = Some((quote_intro, quoted));
    for (k, paragraph) in paragraphs.into_iter().enumerate() {
        blocks.push(Block::Para(paragraph));
        if k + 1 == list_at {
            if let Some((intro, items)) = list.take() {
                blocks.push(Block::Para(vec![intro]));
                blocks.push(Block::List(items));
            }
        }
        if k + 1 == quote_at {
            if let Some((intro, quoted)) = block_quote.take() {
                blocks.push(Block::Para(vec![intro]));
                blocks.push(Block::Quote(quoted));
            }
        }
    }

    // Verify on the visible text: quotes and the note occur exactly once, each person
    // is named in full and by surname alone, and the length is in range.
    let mut plain = String::new();
    let mut body = String::new();
    for block in &blocks {
        if !body.is_empty() {
            body.push('\n');
        }
        match block {
            Block::Para(units) => {
                let md: Vec<&str> = units.iter().map(|u| u.md.as_str()).collect();
                body.push_str(&wrap(&md.join(" "), "", ""));
                for u in units {
                    plain.push(' ');
                    plain.push_str(&u.plain);
                }
            }
            Block::List(items) => {
                for item in items {
                    body.push_str(&wrap(&item.md, "- ", "  "));
                    plain.push(' ');
                    plain.push_str(&item.plain);
                }
            }
            Block::Quote(units) => {
                let md: Vec<&str> = units.iter().map(|u| u.md.as_str()).collect();
                body.push_str(&wrap(&md.join(" "), "> ", "> "));
                for u in units {
                    plain.push(' ');
                    plain.push_str(&u.plain);
                }
            }
        }
    }
    let words = plain.split_whitespace().count();
    if !(600..=1200).contains(&words) {
        return None;
    }
    for q in &quotes {
        if occurrences(&plain, &q.text) != 1 {
            return None;
        }
    }
    if occurrences(&plain, &note_text) != 1 {
        return None;
    }
    for &p in listed {
        let full = people[p].full();
        let last = &people[p].last;
        if occurrences(&plain, &full) == 0
            || occurrences_as_word(&plain, last) <= occurrences(&plain, &full)
        {
            return None;
        }
    }
    let note_body = format!(
        "Item {} in the register of {}; the *{}* version is the one the {} relied on.",
        plan.index,
        SOURCES[plan.source].0,
        rng.pick(ADJECTIVES),
        rng.pick(SUBJECTS).trim_start_matches("the "),
    );
    Some(Story {
        body,
        words,
        quotes,
        note_text,
        note_body,
        story_link: plan.story_link,
    })
}

/// Gives an explicit id to every quote whose id (explicit, or derived the way
/// annalist derives it) is already taken by an earlier quote of the archive; returns
/// how many needed one.
fn pin_colliding_quote_ids(plans: &[Plan], stories: &mut [Story], people: &[Person]) -> usize {
    let mut taken = HashSet::new();
    let mut pinned = 0;
    for (plan, story) in plans.iter().zip(stories.iter_mut()) {
        for q in &mut story.quotes {
            let id = match &q.id {
                Some(id) => id.clone(),
                None => derive_quote_id(
                    &plan.slug,
                    &Speaker::Person(people[q.speaker].id.clone()),
                    &q.text,
                ),
            };
            if let Some(unique) = claim_quote_id(&mut taken, id) {
                q.id = Some(unique);
                pinned += 1;
            }
        }
    }
    pinned
}

/// Claims `id` in `taken`. If it was taken already, claims the first free one of
/// `ID-2`, `ID-3`, … instead and returns it (a valid id when `id` is one).
pub fn claim_quote_id(taken: &mut HashSet<String>, id: String) -> Option<String> {
    if !taken.contains(&id) {
        taken.insert(id);
        return None;
    }
    let unique = (2u32..)
        .map(|n| format!("{id}-{n}"))
        .find(|candidate| !taken.contains(candidate))
        .expect("some suffix is free");
    taken.insert(unique.clone());
    Some(unique)
}

/// Places where `needle` occurs, overlapping ones included.
fn occurrences(hay: &str, needle: &str) -> usize {
    let mut count = 0;
    let mut from = 0;
    while let Some(at) = hay[from..].find(needle) {
        count += 1;
        from += at + needle.chars().next().map_or(1, char::len_utf8);
    }
    count
}

/// Places where `word` occurs with no letter or digit on either side.
fn occurrences_as_word(hay: &str, word: &str) -> usize {
    hay.match_indices(word)
        .filter(|&(at, _)| {
            let before = hay[..at].chars().next_back();
            let after = hay[at + word.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
        .count()
}

/// Wraps at 90 columns, breaking only before words that cannot start a Markdown block
/// (a line that starts with a digit, `-`, `+`, `#` or `>` could).
fn wrap(text: &str, first: &str, rest: &str) -> String {
    const WIDTH: usize = 90;
    let mut out = String::new();
    let mut line = String::from(first);
    let mut empty = true;
    for word in text.split(' ') {
        let breakable = word
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '"' || c == '[' || c == '*');
        if !empty && breakable && line.len() + 1 + word.len() > WIDTH {
            out.push_str(&line);
            out.push('\n');
            line = String::from(rest);
        } else if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    out.push_str(&line);
    out.push('\n');
    out
}

// ---------------------------------------------------------------------------------
// Files

fn archive_toml(options: &Options) -> String {
    format!(
        "title = {}\nbase_url = \"https://example.org/bench/\"\ndescription = {}\nlanguage = \"en\"\n",
        toml_str(&format!(
            "Bench archive: {} stories, seed {}",
            options.stories, options.seed
        )),
        toml_str("Synthetic stories written by gen_archive for benchmarks; every name and event is generated."),
    )
}

fn date_str(date: (u32, u32, u32)) -> String {
    format!("{:04}-{:02}-{:02}", date.0, date.1, date.2)
}

fn toml_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| toml_str(s)).collect();
    format!("[{}]", quoted.join(", "))
}

fn story_md(plan: &Plan, body: &str) -> String {
    let (source, source_slug) = SOURCES[plan.source];
    let mut out = String::from("+++\n");
    out.push_str(&format!("title = {}\n", toml_str(&plan.title)));
    out.push_str(&format!("date = {}\n", date_str(plan.date)));
    out.push_str(&format!("source = {}\n", toml_str(source)));
    out.push_str(&format!(
        "url = \"https://example.com/{source_slug}/{:04}/{:02}/{:02}/{}\"\n",
        plan.date.0, plan.date.1, plan.date.2, plan.slug
    ));
    out.push_str(&format!("authors = {}\n", toml_list(&plan.authors)));
    if !plan.tags.is_empty() {
        out.push_str(&format!("tags = {}\n", toml_list(&plan.tags)));
    }
    out.push_str("+++\n\n");
    out.push_str(body);
    out
}

fn sidecar_toml(plan: &Plan, plans: &[Plan], story: &Story, people: &[Person]) -> String {
    let mut out = String::from("people = [\n");
    for &p in &plan.people {
        out.push_str(&format!("  {},\n", toml_str(&people[p].id)));
    }
    out.push_str("]\n");
    for q in &story.quotes {
        out.push_str("\n[[quote]]\n");
        if let Some(id) = &q.id {
            out.push_str(&format!("id = {}\n", toml_str(id)));
        }
        out.push_str(&format!("speaker = {}\n", toml_str(&people[q.speaker].id)));
        out.push_str(&format!("text = {}\n", toml_str(&q.text)));
        let kind = match q.kind {
            Kind::Direct => "direct",
            Kind::Partial => "partial",
            Kind::Written => "written",
        };
        out.push_str(&format!("kind = \"{kind}\"\n"));
        if q.disputed {
            out.push_str("status = \"disputed\"\n");
        }
        if let Some(about) = q.about {
            out.push_str(&format!("about = [{}]\n", toml_str(&people[about].id)));
        }
    }
    for &(target, relation) in &plan.links {
        out.push_str(&format!(
            "\n[[link]]\nstory = \"{}\"\nrelation = \"{relation}\"\n",
            toml_str_inner(&plans[target].slug)
        ));
    }
    out.push_str(&format!(
        "\n[[note]]\ntext = {}\nbody = {}\n",
        toml_str(&story.note_text),
        toml_str(&story.note_body)
    ));
    out
}

fn toml_str(s: &str) -> String {
    format!("\"{}\"", toml_str_inner(s))
}

fn toml_str_inner(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

// ---------------------------------------------------------------------------------
// Hugo

const HUGO_SINGLE: &str = r#"<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ .Title }} | {{ site.Title }}</title></head>
<body>
<p><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a></p>
<article>
<h1>{{ .Title }}</h1>
<p><time>{{ .Date.Format "2006-01-02" }}</time>{{ with .Params.source }} · {{ . }}{{ end }}</p>
{{ .Content }}
{{ with .GetTerms "people" }}<h2>People</h2>
<ul>{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ end }}
{{ with .GetTerms "tags" }}<h2>Tags</h2>
<ul>{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ end }}
</article>
</body>
</html>
"#;

const HUGO_LIST: &str = r#"<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ .Title }} | {{ site.Title }}</title></head>
<body>
<p><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a></p>
<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> <time>{{ .Date.Format "2006-01-02" }}</time></li>
{{ end }}</ul>
</body>
</html>
"#;

const HUGO_TAXONOMY: &str = r#"<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ .Title }} | {{ site.Title }}</title></head>
<body>
<p><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a></p>
<h1>{{ .Title }}</h1>
<ul>
{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> ({{ .Count }})</li>
{{ end }}</ul>
</body>
</html>
"#;

const HUGO_INDEX: &str = r#"<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ site.Title }}</title></head>
<body>
<h1>{{ site.Title }}</h1>
<p><a href="{{ "stories/" | relURL }}">Stories</a> · <a href="{{ "people/" | relURL }}">People</a> · <a href="{{ "tags/" | relURL }}">Tags</a></p>
<h2>Latest stories</h2>
<ul>
{{ range first 20 (where site.RegularPages "Section" "stories") }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> <time>{{ .Date.Format "2006-01-02" }}</time></li>
{{ end }}</ul>
</body>
</html>
"#;

fn write_hugo(
    dir: &Path,
    options: &Options,
    plans: &[Plan],
    stories: &[Story],
    people: &[Person],
) -> Result<usize, String> {
    let mut out = Writer::new(dir);
    out.file(
        "hugo.toml",
        &format!(
            "baseURL = \"https://example.org/bench/\"\ntitle = {}\nlanguageCode = \"en\"\n\n[taxonomies]\nperson = \"people\"\ntag = \"tags\"\n",
            toml_str(&format!(
                "Bench archive: {} stories, seed {}",
                options.stories, options.seed
            ))
        ),
    )?;
    out.file("layouts/_default/single.html", HUGO_SINGLE)?;
    out.file("layouts/_default/list.html", HUGO_LIST)?;
    out.file("layouts/_default/taxonomy.html", HUGO_TAXONOMY)?;
    out.file("layouts/_default/term.html", HUGO_LIST)?;
    out.file("layouts/index.html", HUGO_INDEX)?;
    out.file(
        "content/stories/_index.md",
        "+++\ntitle = \"Stories\"\n+++\n",
    )?;
    for person in people {
        out.file(
            &format!("content/people/{}/_index.md", person.id),
            &format!("+++\ntitle = {}\n+++\n", toml_str(&person.full())),
        )?;
    }
    for (plan, story) in plans.iter().zip(stories) {
        let mut body = story.body.clone();
        if let Some(target) = story.story_link {
            let slug = &plans[target].slug;
            body = body.replace(
                &format!("](story:{slug})"),
                &format!("]({{{{< relref \"/stories/{slug}.md\" >}}}})"),
            );
        }
        let ids: Vec<&str> = plan.people.iter().map(|&p| people[p].id.as_str()).collect();
        let mut text = String::from("+++\n");
        text.push_str(&format!("title = {}\n", toml_str(&plan.title)));
        text.push_str(&format!("date = {}\n", date_str(plan.date)));
        text.push_str(&format!("source = {}\n", toml_str(SOURCES[plan.source].0)));
        text.push_str(&format!("tags = {}\n", toml_list(&plan.tags)));
        text.push_str(&format!("people = {}\n", toml_list(&ids)));
        text.push_str("+++\n\n");
        text.push_str(&body);
        out.file(&format!("content/stories/{}.md", plan.slug), &text)?;
    }
    Ok(out.files)
}

// ---------------------------------------------------------------------------------
// Small helpers

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// An English number in words: `412` → "four hundred twelve".
fn spell(n: u64) -> String {
    const ONES: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 10] = [
        "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    fn below_thousand(n: u64, out: &mut Vec<&'static str>) {
        if n >= 100 {
            out.push(ONES[(n / 100) as usize]);
            out.push("hundred");
        }
        let rest = n % 100;
        if rest >= 20 {
            out.push(TENS[(rest / 10) as usize]);
            if !rest.is_multiple_of(10) {
                out.push(ONES[(rest % 10) as usize]);
            }
        } else if rest > 0 || n == 0 {
            out.push(ONES[rest as usize]);
        }
    }
    let mut words = Vec::new();
    let groups = [
        (1_000_000_000_000, "trillion"),
        (1_000_000_000, "billion"),
        (1_000_000, "million"),
        (1_000, "thousand"),
    ];
    let mut rest = n;
    for (size, name) in groups {
        if rest >= size {
            below_thousand(rest / size % 1000, &mut words);
            if rest / size >= 1000 {
                // Beyond a thousand trillion: not needed for story counts.
                return n.to_string();
            }
            words.push(name);
            rest %= size;
        }
    }
    if rest > 0 || words.is_empty() {
        below_thousand(rest, &mut words);
    }
    words.join(" ")
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (u32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = (yoe + era * 400 + i64::from(m <= 2)) as u32;
    (y, m, d)
}
