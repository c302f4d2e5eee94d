"""The vocabulary of the demo organisation: the people, the product line, the competitors and
the word lists that customer and contact names are built from."""

from __future__ import annotations

ORGANISATION_NAME = "Brightline Systems"
DOMAIN = "demo.debrief.example"
# Printed by `debrief run`; it passes Django's password validators for every demo user.
PASSWORD = "lose-gracefully"

# Teams by the regions they sell to: a customer's region decides its team.
# When each team's working day starts, in UTC hours: events happen in office hours.
WORKDAY_START_UTC = {"Americas": 13, "EMEA": 7}
TEAMS: dict[str, dict[str, float]] = {
    "Americas": {"North America": 0.45, "Latin America": 0.08},
    "EMEA": {
        "UK & Ireland": 0.13,
        "DACH": 0.10,
        "Nordics": 0.07,
        "Benelux": 0.06,
        "France": 0.06,
        "Southern Europe": 0.05,
    },
}

# (full name, role, team or "", time zone). Emails are first.last@DOMAIN.
PEOPLE: list[tuple[str, str, str, str]] = [
    ("Jordan Hayes", "admin", "", "America/New_York"),
    ("Grace Liu", "analyst", "", "America/Chicago"),
    ("Olivia Bennett", "manager", "Americas", "America/New_York"),
    ("Marcus Reid", "rep", "Americas", "America/New_York"),
    ("Priya Raman", "rep", "Americas", "America/Chicago"),
    ("Daniel Okafor", "rep", "Americas", "America/Denver"),
    ("Sofia Alvarez", "rep", "Americas", "America/Los_Angeles"),
    ("Henrik Larsen", "manager", "EMEA", "Europe/Copenhagen"),
    ("Chloe Dubois", "rep", "EMEA", "Europe/Paris"),
    ("Tomasz Nowicki", "rep", "EMEA", "Europe/Warsaw"),
    ("Amara Mensah", "rep", "EMEA", "Europe/London"),
    ("Lukas Weber", "rep", "EMEA", "Europe/Berlin"),
]

# The product line of a B2B operations-software company: platform tiers, add-ons, services.
TIERS = ["Brightline Starter", "Brightline Professional", "Brightline Enterprise"]
ADD_ONS = [
    "Analytics add-on",
    "Workflow Automation add-on",
    "Integration Hub",
    "Advanced Security add-on",
    "Premium Support",
]
SERVICES = ["Implementation services", "Training package", "Data migration"]
PRODUCTS = [*TIERS, *ADD_ONS, *SERVICES]

# (name, website, segments where it shows up most, strength: how hard it is to beat)
COMPETITORS: list[tuple[str, str, tuple[str, ...], float]] = [
    ("Corvana", "https://www.corvana.com", ("Software", "Financial services"), 1.3),
    ("Stacklane", "https://stacklane.io", ("Software", "Retail"), 1.0),
    ("OpsBridge", "https://www.opsbridge.com", ("Manufacturing", "Logistics", "Energy"), 1.2),
    ("Tallyworks", "https://www.tallyworks.com", ("Professional services", "Retail"), 0.8),
    ("Halden Cloud", "https://www.haldencloud.com", ("Healthcare", "Public sector"), 1.1),
    ("Quillstone", "https://quillstone.co", ("Education", "Public sector"), 0.9),
    ("Northbeam", "https://www.northbeam-software.com", ("Manufacturing", "Energy"), 1.0),
    ("Vireo Systems", "https://www.vireosystems.com", ("Healthcare", "Financial services"), 1.2),
    ("Fenwick Software", "https://www.fenwicksoftware.co.uk", ("Logistics", "Retail"), 0.9),
    ("Pallasite", "https://pallasite.de", ("Manufacturing", "Professional services"), 0.8),
]

SEGMENTS: dict[str, float] = {
    "Manufacturing": 0.16,
    "Healthcare": 0.11,
    "Financial services": 0.12,
    "Retail": 0.09,
    "Software": 0.13,
    "Logistics": 0.09,
    "Education": 0.06,
    "Public sector": 0.06,
    "Energy": 0.07,
    "Professional services": 0.11,
}
# How much a segment's deals are worth compared with the average.
SEGMENT_VALUE: dict[str, float] = {
    "Manufacturing": 1.0,
    "Healthcare": 1.15,
    "Financial services": 1.3,
    "Retail": 0.85,
    "Software": 1.0,
    "Logistics": 0.9,
    "Education": 0.75,
    "Public sector": 1.2,
    "Energy": 1.1,
    "Professional services": 0.8,
}

# (label, share of customers, median deal amount, how slow its deals move)
SIZES: list[tuple[str, float, float, float]] = [
    ("1–50 employees", 0.22, 5_000, 0.7),
    ("51–200 employees", 0.30, 11_000, 0.85),
    ("201–1,000 employees", 0.28, 22_000, 1.0),
    ("1,001–5,000 employees", 0.14, 40_000, 1.3),
    ("5,000+ employees", 0.06, 70_000, 1.6),
]

SOURCES: dict[str, float] = {
    "Inbound": 0.30,
    "Outbound": 0.30,
    "Partner": 0.15,
    "Event": 0.12,
    "Referral": 0.13,
}
# Referrals and partners close more often than cold outbound: the rates insights will show.
SOURCE_WIN_WEIGHT = {
    "Inbound": 1.2,
    "Outbound": 0.7,
    "Partner": 1.3,
    "Event": 1.0,
    "Referral": 1.6,
}

DEAL_KINDS: dict[str, float] = {"": 0.55, "expansion": 0.2, "renewal": 0.15, "pilot": 0.1}

NAME_STEMS = [
    "Harbor", "Summit", "Northgate", "Bluefin", "Ironwood", "Crescent", "Alder", "Granite",
    "Keystone", "Silverline", "Redwood", "Cedar", "Riverbend", "Lakeshore", "Stonebridge",
    "Oakridge", "Westfield", "Eastport", "Highland", "Pinecrest", "Clearwater", "Brookside",
    "Fairview", "Maplewood", "Sterling", "Beacon", "Pioneer", "Frontier", "Compass", "Atlas",
    "Vantage", "Horizon", "Evergreen", "Foxglove", "Kestrel", "Osprey", "Falcon", "Heron",
    "Juniper", "Willow", "Aspen", "Birch", "Sequoia", "Copperfield", "Ashford", "Bramley",
    "Calder", "Dunmore", "Elmstead", "Glenwood", "Hawthorne", "Kingsbridge", "Larkspur",
    "Millbrook", "Northwood", "Oldfield", "Parkside", "Ravenswood", "Saltmarsh", "Thornbury",
    "Upland", "Valemont", "Whitmore", "Yarrow", "Zenith", "Apex", "Cobalt", "Ember",
    "Fulcrum", "Graphite", "Helix", "Indigo", "Kinetic", "Lumen", "Mosaic", "Nimbus", "Onyx",
    "Prism", "Quartz", "Radiant", "Solstice", "Tidewater", "Vertex", "Wavecrest", "Blackwater",
    "Greystone", "Highgate", "Harrow", "Lindenhof", "Rosendal", "Solberg", "Nordvik",
    "Rheinfeld", "Sonnenberg", "Castellan", "Miramar", "Montclair", "Beaumont", "Bellevue",
    "Valcourt", "Three Rivers", "Blue Ridge", "Silver Lake", "Red Rock", "Twin Oaks",
    "Green Valley", "Iron Bay", "North Star", "Old Mill", "Stone Creek", "White Cliff",
]  # fmt: skip
SURNAMES = [
    "Halvorsen", "Whitfield", "Okafor", "Lindqvist", "Brennan", "Castillo", "Moreau",
    "Hargreaves", "Nakamura", "Pereira", "Schuster", "Van Dijk", "Kowalski", "Fitzgerald",
    "Abernathy", "Delgado", "Eriksen", "Holloway", "Iverson", "Jansen", "Kavanagh", "Lambert",
    "Mercer", "Novak", "Prescott", "Quinn", "Rasmussen", "Sinclair", "Thornton", "Underwood",
    "Vasquez", "Wexler", "Zimmerman", "Achterberg", "Bellamy", "Carrington", "Dalton",
    "Ellsworth", "Marchetti", "Ravel",
]  # fmt: skip
SEGMENT_SUFFIXES: dict[str, list[str]] = {
    "Manufacturing": [
        "Industries", "Manufacturing", "Precision", "Fabrication", "Components",
        "Machine Works", "Plastics", "Metalworks", "Tooling", "Engineering",
    ],
    "Healthcare": [
        "Health", "Medical Group", "Clinics", "Health System", "Diagnostics", "Care Partners",
        "Medical Center", "Pharmacy Group", "Orthopedics", "Dental Partners",
    ],
    "Financial services": [
        "Capital", "Bank", "Financial", "Insurance", "Credit Union", "Wealth Partners",
        "Asset Management", "Mutual", "Lending", "Payments",
    ],
    "Retail": [
        "Outfitters", "Markets", "Home & Garden", "Retail Group", "Stores", "Apparel",
        "Grocers", "Furniture", "Pet Supply", "Sporting Goods",
    ],
    "Software": [
        "Labs", "Software", "Systems", "Cloud", "Technologies", "Data", "Analytics",
        "Networks", "Digital", "Robotics",
    ],
    "Logistics": [
        "Logistics", "Freight", "Transport", "Shipping", "Distribution", "Cargo",
        "Fleet Services", "Warehousing", "Couriers", "Supply Chain",
    ],
    "Education": [
        "University", "College", "Academy", "School District", "Learning Trust",
        "Institute of Technology", "Community College", "Schools",
    ],
    "Public sector": [
        "County", "Transit Authority", "Water District", "Housing Authority",
        "Port Authority", "City Council", "Regional Council", "Parks Department",
    ],
    "Energy": [
        "Energy", "Power", "Renewables", "Utilities", "Solar", "Wind", "Gas & Electric",
        "Grid Services", "Hydro",
    ],
    "Professional services": [
        "Consulting", "Advisory", "Associates", "Partners", "Legal", "Accounting",
        "Engineering Consultants", "Recruitment", "Architects",
    ],
}  # fmt: skip
# Segments whose organisations carry no company-law suffix (Inc., GmbH...).
NON_COMPANY_SEGMENTS = {"Education", "Public sector"}

LEGAL_SUFFIXES: dict[str, list[str]] = {
    "North America": ["Inc.", "LLC", "Corp."],
    "Latin America": ["S.A.", "S.A. de C.V.", "Ltda."],
    "UK & Ireland": ["Ltd", "plc"],
    "DACH": ["GmbH", "AG"],
    "Nordics": ["AB", "AS", "Oy"],
    "Benelux": ["B.V.", "N.V."],
    "France": ["SAS", "S.A."],
    "Southern Europe": ["S.p.A.", "S.L.", "S.r.l."],
}
TLDS: dict[str, list[str]] = {
    "North America": [".com", ".com", ".com", ".ca"],
    "Latin America": [".com.mx", ".com.br", ".cl"],
    "UK & Ireland": [".co.uk", ".co.uk", ".ie"],
    "DACH": [".de", ".de", ".ch", ".at"],
    "Nordics": [".se", ".no", ".dk", ".fi"],
    "Benelux": [".nl", ".be"],
    "France": [".fr"],
    "Southern Europe": [".es", ".it", ".pt"],
}
# Fictional number ranges (555-01xx in North America, Ofcom's drama range in the UK).
PHONE_FORMATS: dict[str, str] = {
    "North America": "+1 {area} 555 01{nn}",
    "UK & Ireland": "+44 20 7946 0{nnn}",
}
PHONE_DEFAULT = "+{cc} {area} {nnn} {nnnn}"
COUNTRY_CODES = {
    "Latin America": ["52", "55", "56"],
    "DACH": ["49", "41", "43"],
    "Nordics": ["46", "47", "45", "358"],
    "Benelux": ["31", "32"],
    "France": ["33"],
    "Southern Europe": ["34", "39", "351"],
}

FIRST_NAMES = [
    "James", "Maria", "Robert", "Linda", "Michael", "Aisha", "David", "Elena", "William",
    "Fatima", "Richard", "Hannah", "Joseph", "Ingrid", "Thomas", "Mei", "Charles", "Sara",
    "Christopher", "Laura", "Kwame", "Emma", "Mateo", "Olga", "Andrew", "Nadia", "Ravi",
    "Claire", "Stefan", "Julia", "Kenji", "Anna", "Pedro", "Lucia", "Omar", "Sophie", "Erik",
    "Isabel", "Tariq", "Freya", "Patrick", "Yuki", "Carlos", "Astrid", "Benjamin", "Leila",
    "Samuel", "Chiara", "Noah", "Greta", "Victor", "Zara", "Hugo", "Alice", "Felix", "Nora",
    "Rahul", "Ines", "George", "Helen", "Diego", "Camille", "Jonas", "Beatriz", "Adrian",
    "Rachel", "Marek", "Esther", "Simon", "Ayumi",
]  # fmt: skip
LAST_NAMES = [
    "Anderson", "Baptiste", "Chen", "Dimitrov", "Eklund", "Fernandes", "Garcia", "Hoffmann",
    "Ibrahim", "Johansson", "Kim", "Larsen", "Martinez", "Nguyen", "Ortiz", "Patel", "Rossi",
    "Schmidt", "Tanaka", "Usman", "Varga", "Walsh", "Yilmaz", "Zhang", "Bauer", "Cohen",
    "Dubois", "Evans", "Fischer", "Gallagher", "Hughes", "Jovanovic", "Kaur", "Lopez",
    "Murphy", "Nilsson", "O'Connor", "Petrov", "Quintero", "Richter", "Silva", "Turner",
    "Van der Berg", "Wagner", "Adeyemi", "Brooks", "Costa", "Dahl", "Ferreira", "Grant",
]  # fmt: skip
TITLES_COMMON = [
    "Chief Operating Officer", "VP of Operations", "Director of Operations", "Head of IT",
    "IT Manager", "Chief Financial Officer", "Finance Director", "Procurement Manager",
    "Operations Manager", "Chief Information Officer", "Head of Digital Transformation",
    "Business Systems Analyst", "Programme Manager",
]  # fmt: skip
TITLES_BY_SEGMENT: dict[str, list[str]] = {
    "Manufacturing": ["Plant Manager", "VP of Supply Chain", "Quality Director"],
    "Healthcare": ["Director of Clinical Operations", "Chief Medical Information Officer"],
    "Financial services": ["Chief Risk Officer", "Head of Compliance"],
    "Retail": ["Head of Store Operations", "E-commerce Director"],
    "Software": ["VP of Engineering", "Chief Technology Officer"],
    "Logistics": ["Fleet Operations Director", "Head of Warehousing"],
    "Education": ["Provost", "Director of Academic Technology"],
    "Public sector": ["Chief Digital Officer", "Procurement Officer"],
    "Energy": ["Head of Asset Management", "Grid Operations Manager"],
    "Professional services": ["Managing Partner", "Practice Lead"],
}

NEXT_STEPS: list[list[str]] = [
    # one list per open stage, from the first; later stages reuse the last list
    [
        "Book an intro call",
        "Follow up on the outbound sequence",
        "Send case study from the same industry",
    ],
    [
        "Qualification call: confirm budget and timeline",
        "Identify the economic buyer",
        "Confirm the pain behind the inbound request",
    ],
    [
        "Discovery workshop with the operations team",
        "Map the current process with the champion",
        "Product demo for the evaluation team",
    ],
    [
        "Send proposal",
        "Proposal walkthrough with the CFO",
        "Review pricing options with procurement",
    ],
    [
        "Security review with IT",
        "Legal review of the MSA",
        "Final pricing call",
        "Send the order form for signature",
    ],
]

# --- the loss loop ---------------------------------------------------------------------------
# Names below are those of the seeded outcome types and reason list; a name an admin has
# renamed or retired is simply skipped.

COMPETITOR_OUTCOME = "Lost to a competitor"
# Share of lost deals per outcome type. "Lost to a competitor" goes only to deals that had a
# competitor; its share is kept by giving it more often to those.
OUTCOMES: dict[str, float] = {
    COMPETITOR_OUTCOME: 0.45,
    "No decision": 0.25,
    "No budget": 0.15,
    "Chose to build or do nothing": 0.08,
    "Unknown": 0.07,
}
# The reasons a loss of each outcome type is given, by weight (the first pick is the primary).
OUTCOME_REASONS: dict[str, dict[str, float]] = {
    COMPETITOR_OUTCOME: {
        "Competitor's offer": 34,
        "Price": 26,
        "Missing capability": 20,
        "Relationship or rep fit": 8,
        "Product or service quality": 7,
        "Marketing and sales misalignment": 5,
    },
    "No decision": {
        "No decision or priority": 56,
        "Timing": 26,
        "Relationship or rep fit": 9,
        "Marketing and sales misalignment": 9,
    },
    "No budget": {"No budget": 70, "Price": 16, "Timing": 14},
    "Chose to build or do nothing": {
        "Missing capability": 34,
        "No decision or priority": 28,
        "Price": 22,
        "Product or service quality": 16,
    },
    "Unknown": {
        "Timing": 30,
        "Relationship or rep fit": 25,
        "Price": 25,
        "No decision or priority": 20,
    },
}
# How many reasons a loss is given: one, two or three.
REASON_COUNTS = {1: 0.45, 2: 0.40, 3: 0.15}
# "Other" is named on about one loss in ten (the reason list warns above 15%).
OTHER_SHARE = 0.10
OTHER_SHARE_LAST_QUARTER = 0.09
CONSENT: dict[str, float] = {"yes": 0.45, "no": 0.20, "not_asked": 0.35}
# The bias the product exists to show: reps name price as decisive far more than buyers do.
REP_BLAMES_PRICE = 0.38
# How often the customer's decisive reason differs from the rep's, when the rep said price
# and when the rep said something else.
CUSTOMER_DIFFERS = {"Price": 0.7, "other": 0.32}
OWN_IT_WRITTEN = 0.70
OWN_IT_LATEST = 0.30
OWN_IT_BLAMING = 0.12
OWN_IT_LESSON = 0.30
DEBRIEF_LESSONS = 0.85

# The rep's note on the loss record, in the rep's voice. {contact} is the customer's contact,
# {competitor} the competitor that won, {product} the deal's headline product.
LOSS_NOTES: dict[str, list[str]] = {
    COMPETITOR_OUTCOME: [
        "Went with {competitor}. {contact} said their pilot on real data won it. Thanked "
        "them and asked whether we could talk again in a couple of weeks.",
        "Lost to {competitor}, about 15% under us over three years. {contact} was gracious "
        "about it; door open for the renewal.",
        "{competitor} had the ERP connector out of the box. We were close on everything else.",
        "They chose {competitor}. Reference call with a customer in their industry sealed it.",
        "{contact} called to say they signed with {competitor}. Did not argue; thanked them "
        "for the time their team put into the evaluation.",
        "{competitor} promised go-live in eight weeks. Our plan said sixteen.",
        "Close second to {competitor}. Finance preferred their payment terms.",
    ],
    "No decision": [
        "Project shelved. The sponsor moved to another role and nobody picked it up.",
        "{contact} says they will keep the current process for now. No hard feelings; check "
        "back next year.",
        "Evaluation stalled. Leadership has other priorities this year.",
        "Reorganisation at the customer: the project is on hold indefinitely.",
        "They could not agree internally between ops and IT. Nothing signed with anyone.",
    ],
    "No budget": [
        "Budget cut in the mid-year reforecast. {contact} confirmed it was not about us.",
        "Funds moved to a compliance project with a hard deadline. They will look again next "
        "fiscal year.",
        "Hiring freeze and spending freeze announced last week. Everything new is paused.",
        "The CFO would not approve {product} this year. Asked to stay in touch.",
    ],
    "Chose to build or do nothing": [
        "IT is building a lighter version in-house. Offered to stay in touch in case it stalls.",
        "They will stay on spreadsheets this year. The pain was not big enough yet.",
        "Decided to extend their current system with a consultant instead of replacing it.",
    ],
    "Unknown": [
        "Went dark after our last meeting. Three follow-ups, no reply; closing it out.",
        "{contact} said they decided against it but would not say why.",
        "No answer for six weeks. Closing it; will try again next quarter.",
    ],
}
NOTE_EMPTY = 0.10

# The own-it review: what I could have done differently, what I will do next time, in the
# rep's words, by the loss's primary reason, then ones that fit any loss.
OWN_IT_COULD: dict[str, list[str]] = {
    "Price": [
        "I let the conversation become about price because I never quantified what the "
        "problem cost them.",
        "I sent the proposal without walking the CFO through it, so the number landed without "
        "context.",
        "I discounted too early, which told them the first price was not real.",
    ],
    "Competitor's offer": [
        "I underestimated {competitor} and never asked how they were positioning against us.",
        "I did not offer a reference from their industry when they asked for proof.",
        "I let {competitor} set the evaluation criteria; by the time I noticed, the scorecard "
        "favoured them.",
    ],
    "No budget": [
        "I assumed the budget was there because the champion was enthusiastic; I never asked "
        "who signs.",
        "I should have confirmed budget in discovery instead of at the proposal stage.",
    ],
    "No decision or priority": [
        "I let the champion carry the business case alone.",
        "I should have multi-threaded into finance earlier.",
        "I never tested how urgent the problem really was for them.",
    ],
    "Missing capability": [
        "I demoed the whole platform instead of their three use cases.",
        "I did not bring a solutions engineer in before the integration question came up.",
        "I heard the reporting requirement in the first call and did not follow it up.",
    ],
    "Product or service quality": [
        "I did not follow up after the trial went wrong on day two.",
        "I did not bring our support lead in when they asked about response times.",
    ],
    "Marketing and sales misalignment": [
        "I did not reset expectations after the webinar promised features we do not have.",
    ],
    "Timing": [
        "I pushed for our quarter end instead of their timeline.",
        "I missed their budget freeze because I never asked about it.",
    ],
    "Relationship or rep fit": [
        "I talked more than I listened in the first two meetings.",
        "I did not build a relationship with the IT director, who ended up blocking us.",
    ],
}
OWN_IT_COULD_ANY = [
    "I did not send a mutual plan, so the next steps drifted between meetings.",
    "I waited too long to ask my manager for help.",
    "I did not ask who else had a say in the decision.",
    "I never met the economic buyer; everything went through {contact}.",
    "I was slow to answer the security questionnaire, and it cost us two weeks.",
]
OWN_IT_WILL: dict[str, list[str]] = {
    "Price": [
        "I will quantify the cost of the problem with the champion before I show a price.",
        "I will share a price range in the second meeting and check it fits their budget.",
    ],
    "Competitor's offer": [
        "I will offer a scoped proof of value when a competitor brings a pilot.",
        "I will line up a reference from the same industry before the proposal.",
    ],
    "No budget": [
        "Next time I will confirm budget in discovery.",
        "I will ask which budget line pays for it and who signs, in the qualification call.",
    ],
    "No decision or priority": [
        "Next time I will meet finance before the proposal, with a one-page business case.",
        "I will ask what happens if they do nothing for a year, and listen to the answer.",
    ],
    "Missing capability": [
        "I will agree the three must-have use cases before any demo.",
        "I will ask for their integration list in discovery and bring a solutions engineer.",
    ],
    "Product or service quality": [
        "I will call the customer after the first day of every trial.",
    ],
    "Marketing and sales misalignment": [
        "I will say what we do and do not do in the first call, whatever the campaign said.",
    ],
    "Timing": [
        "I will agree the decision date with the buyer instead of using our quarter end.",
        "I will ask about change freezes and signature deadlines in qualification.",
    ],
    "Relationship or rep fit": [
        "I will let the customer do most of the talking in discovery and summarise their "
        "words back.",
        "When rapport is weak I will bring in my manager early, not at the end.",
    ],
}
OWN_IT_WILL_ANY = [
    "I will send a mutual action plan after the second meeting and review it every week.",
    "I will ask who else has a say in every discovery call, and meet them.",
    "I will multi-thread: at least three people, one of them in finance, before the proposal.",
    "I will ask for help from my manager as soon as a deal stalls for two weeks.",
]
# Reviews where every answer points away from the rep: the page says so, kindly.
OWN_IT_BLAME: list[tuple[str, str, str]] = [
    (
        "Not much, honestly. We were simply too expensive for them.",
        "Get discount approval earlier so I can match the competition.",
        "Price",
    ),
    (
        "The campaign set the wrong expectations and marketing's material did not help.",
        "Ask marketing for better material for this segment.",
        "Marketing and sales misalignment",
    ),
    (
        "The product was missing the integration they needed; nothing I could do.",
        "Wait until the integration ships before pitching to companies like this.",
        "Missing capability",
    ),
    (
        "The customer was never serious about changing.",
        "Qualify harder, I suppose.",
        "No decision or priority",
    ),
]

# The customer's answers in a debrief, per question (1–5). Questions 1 and 5 depend on
# whether a competitor won.
DEBRIEF_ANSWERS: dict[int, dict[str, list[str]]] = {
    1: {
        "competitor": [
            "{competitor} ran a two-week pilot on our own data. Seeing our numbers in their "
            "dashboards made the decision easy.",
            "Their team brought a customer from our industry to the final meeting. That "
            "reference carried a lot of weight.",
            "{competitor} came in roughly 15% lower over three years and included "
            "implementation in the price.",
            "They had a native integration with our ERP; yours needed the Integration Hub and a "
            "services project.",
            "Their account executive met our CFO early and built the business case with her. "
            "We never had that conversation with you.",
            "They were quick. Every question we sent got an answer the same day, often with a "
            "short video.",
            "They made the security review painless: the documents were ready before we asked.",
        ],
        "none": [
            "Nobody won, to be honest. The project lost its sponsor when our COO left.",
            "There was no winner: we decided to extend what we already have for another year.",
            "Our IT team proposed building a lighter version themselves, and leadership "
            "preferred that to a new vendor.",
            "No vendor won. The budget went to a compliance project with a hard deadline.",
            "We kept the spreadsheets. It is painful, but it is free, and the pain was not big "
            "enough yet.",
        ],
    },
    2: {
        "any": [
            "On functionality you were level with the others. On price you were the most "
            "expensive, but not by much.",
            "Strong on reporting, weaker on ease of use: our supervisors found the mobile "
            "screens hard.",
            "You were the best on workflow automation. Integration with our ERP was the weak "
            "point, and it was our first priority.",
            "Implementation time was our first priority. Your plan said 16 weeks; we needed to "
            "be live in 10.",
            "Support was the priority, and your references were good. The price was the harder "
            "conversation.",
            "Honestly, you compared well. It was the total cost over three years that tipped it.",
            "You scored well on security, and that mattered to IT, but the business users "
            "preferred the other interface.",
        ],
    },
    3: {
        "any": [
            "The approval chain. You presented to operations, but finance owned the decision "
            "and never heard from you.",
            "How many sites we have. The proposal was priced for one site; we have four.",
            "Our year-end freeze. Anything not signed by November waits until March, and we "
            "said so early.",
            "The reporting our board needs. The demo showed operational dashboards, not the "
            "monthly pack.",
            "I don't think anything was misunderstood; we just were not ready to change.",
            "The data migration. We have fifteen years of records and that worried us more than "
            "the features.",
            "That we needed a phased rollout; the proposal assumed everyone at once.",
        ],
    },
    4: {
        "any": [
            "Bring a customer reference from our industry earlier, not at the end.",
            "Talk to finance before the proposal. A one-page ROI for the CFO would have helped.",
            "Show the price as a range early on; the final number surprised us.",
            "Shorter demos focused on our three use cases, not the whole product.",
            "Send a plan with dates after each meeting. We lost track of next steps.",
            "Have your implementation lead in the room when we talk about timelines.",
            "Ask who else has a say. Our IT director joined late and felt left out.",
        ],
    },
    5: {
        "competitor": [
            "Yes. Our contract with {competitor} runs for two years; call us six months before "
            "it ends.",
            "Yes, you were a close second. Stay in touch with {contact}.",
            "Possibly, for the analytics piece. That part was not in this scope.",
        ],
        "none": [
            "Possibly. If the budget comes back next fiscal year we will look again, and you "
            "will be on the list.",
            "I would take your call. Once a quarter is fine, not every month.",
            "Not in the short term. Check back in {months} months, when the new COO has "
            "settled in.",
            "Yes. When the in-house tool reaches its limits, and it will, we'll call you.",
        ],
    },
}
# Questions a leader adds (number 0), with the answers customers give.
EXTRA_QUESTIONS: list[tuple[str, list[str]]] = [
    (
        "Who else was involved in the decision that we never met?",
        [
            "The CFO and our head of IT. We never saw you talk to either.",
            "Procurement, at the very end; they ran the price comparison.",
        ],
    ),
    (
        "What would have had to be different for us to win?",
        [
            "A pilot on our data, and a price within 10% of the other offer.",
            "Being live before our busy season. Your timeline missed it.",
        ],
    ),
    (
        "How did you find our proposal document?",
        [
            "Long. The summary page was good; the rest nobody read.",
            "Clear, but it did not mention the integration we asked about twice.",
        ],
    ),
]
EXTRA_QUESTION_SHARE = 0.2
# When debrief calls are booked, in the leader's time zone.
DEBRIEF_HOURS = [9, 10, 11, 14, 15, 16]
HELD_NOTES = [
    "Open, specific conversation. Sent a thank-you note the same day.",
    "{contact} was generous with their time; asked us to keep them posted on the roadmap.",
    "Short call, but honest. They would take a call from us next year.",
    "",
    "",
]
DECLINED_NOTES = [
    "{contact} said they had given all the feedback they could on the phone.",
    "They would rather not spend more time on a closed project.",
    "No reply to three requests; treating it as declined.",
    "{contact} declined politely: company policy not to give vendor feedback.",
]
CANCELLED_NOTES = [
    "{contact} has left the company; nobody else was close enough to the decision.",
    "Folded into the renewal conversation with the same customer instead.",
    "The customer asked to postpone indefinitely; cancelling rather than chasing.",
]

# Lessons drawn from a loss, by the reason they are tagged with: (statement, what to do
# differently).
LESSONS: dict[str, list[tuple[str, str]]] = {
    "Price": [
        (
            "Anchor on value before price: buyers compare numbers when we have not shown the "
            "cost of their problem.",
            "Quantify the cost of the current process with the champion in discovery, and open "
            "the proposal with it.",
        ),
        (
            "Show the three-year cost, not the first-year price.",
            "Put a three-year cost comparison in every proposal above 25k.",
        ),
        (
            "The price surprised the buyer at the end.",
            "Share a price range in the second meeting and confirm it fits their budget.",
        ),
    ],
    "Competitor's offer": [
        (
            "{competitor} wins when it gets a pilot on the customer's data.",
            "Offer a short, scoped proof of value as soon as we see {competitor} in a deal.",
        ),
        (
            "References from the same industry decide close calls.",
            "Line up a reference customer from the same segment before the proposal stage.",
        ),
    ],
    "No budget": [
        (
            "The budget was assumed, never confirmed.",
            "Ask who signs and from which budget line in the qualification call.",
        ),
        (
            "The customer's fiscal year decided the deal, not us.",
            "Map the budget cycle and spending freezes in discovery.",
        ),
    ],
    "No decision or priority": [
        (
            "Single-threaded deals die when the sponsor moves on.",
            "Meet at least three people, one of them in finance, before the proposal.",
        ),
        (
            "The pain was not urgent enough for the customer to change.",
            "Test urgency early: what happens if they do nothing for a year?",
        ),
    ],
    "Missing capability": [
        (
            "We demoed features instead of their use cases.",
            "Agree the three must-have use cases before the demo and show only those.",
        ),
        (
            "The ERP integration gap surfaced too late.",
            "Ask for the integration list in discovery and bring a solutions engineer early.",
        ),
    ],
    "Product or service quality": [
        (
            "Doubts about support quality were raised and never answered.",
            "Bring the support lead to the evaluation and share our response-time figures.",
        ),
        (
            "A problem in the trial undermined trust.",
            "Check the trial environment before handing it over and call the customer after "
            "day one.",
        ),
    ],
    "Marketing and sales misalignment": [
        (
            "The campaign promised something the product does not do.",
            "Tell marketing about a mismatched campaign message the week we hear it.",
        ),
    ],
    "Timing": [
        (
            "We pushed for a close the customer was not ready for.",
            "Agree the decision date with the buyer instead of using our quarter end.",
        ),
        (
            "A year-end freeze stopped the deal.",
            "Ask about change freezes and signature deadlines in qualification.",
        ),
    ],
    "Relationship or rep fit": [
        (
            "The buyer never trusted our team.",
            "When rapport is weak, bring in a manager or a peer early rather than late.",
        ),
        (
            "We did not listen enough in the first meetings.",
            "Let the customer speak most of the discovery call; summarise their words back.",
        ),
    ],
}
LESSONS_ANY: list[tuple[str, str]] = [
    (
        "Multi-thread early: one champion is not a buying committee.",
        "Name the economic buyer by the Discovery stage.",
    ),
    (
        "Next steps drifted between meetings.",
        "Send a mutual plan with dates after every meeting with {contact}'s team.",
    ),
    (
        "The customer's reasons stayed vague until the debrief.",
        "Ask for one concrete example whenever a reason is unclear.",
    ),
]
