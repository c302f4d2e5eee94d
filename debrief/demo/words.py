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

# --- meetings, relationships and learning ------------------------------------------------------
# Fill-ins: {contact} a customer contact's first name, {customer} the company's short name,
# {product} the deal's headline product, {competitor} a competitor in the deal (or "the
# incumbent"), {rep} the rep's first name.

# Solutions consultants: team members who join the larger deals' meetings and the retros, but
# own no deals of their own. (full name, role, team, time zone)
CONSULTANTS: list[tuple[str, str, str, str]] = [
    ("Nadia Petrova", "rep", "Americas", "America/Chicago"),
    ("Rafael Costa", "rep", "EMEA", "Europe/Lisbon"),
]

# The team started planning its significant meetings in Debrief this many days ago.
MEETINGS_SINCE_DAYS = 210
# Of the open deals, the share with a meeting booked in the next two weeks.
UPCOMING_SHARE = 0.25
MODES: dict[str, float] = {"call": 0.33, "video": 0.52, "on_site": 0.15}
# Meeting titles by the open stage the deal is in, from the first.
MEETING_TITLES: list[list[str]] = [
    ["Intro call", "First conversation", "Intro call with the operations lead"],
    ["Qualification call", "Budget and timeline call", "Qualification meeting"],
    ["Discovery workshop", "Process mapping session", "Product demo", "Technical deep dive"],
    ["Proposal walkthrough", "Pricing review", "Business case review with finance"],
    ["Negotiation call", "Contract review", "Security review", "Final pricing call"],
]
PLAN_TEXT: dict[str, list[str]] = {
    "attendees_and_goals": [
        "{contact} (sponsor) wants fewer manual hand-offs; their IT lead wants a clean integration.",
        "{contact} and the finance controller: they need a business case the CFO will sign.",
        "{contact}'s operations team: they want to see their own process, not a generic demo.",
        "{contact}, new in the role, wants a quick win in the first quarter.",
        "{contact} and procurement: they want pricing options and contract terms early.",
    ],
    "value_for_them": [
        "A clear picture of what the current process costs them each month.",
        "Answers to the security questionnaire so IT can stop blocking the evaluation.",
        "A realistic rollout plan with the effort on their side spelled out.",
        "A reference customer from the same industry they can call.",
        "Pricing options that fit the budget line they already have.",
    ],
    "purpose": [
        "Agree whether {product} solves the hand-off problem {contact} described.",
        "Confirm budget, timeline and who signs.",
        "Walk through the proposal and agree the decision process.",
        "Map the current process and find the three use cases that matter.",
        "Settle the open pricing and contract questions.",
        "Decide together whether a scoped pilot makes sense.",
    ],
    "agenda": [
        "Their priorities (10 min); process walk-through (20 min); next steps (10 min).",
        "Recap; proposal; pricing options; decision process; next steps.",
        "Use cases; live demo on their data; integration; questions.",
        "Security review; integration plan; rollout timeline.",
    ],
    "insights_to_share": [
        "How a customer in the same segment cut month-end close by four days.",
        "What the three-year cost looks like against {competitor}.",
        "Benchmarks for manual hand-offs in similar operations teams.",
        "The integration pattern that worked for their ERP elsewhere.",
    ],
    "information_to_get": [
        "Who signs, from which budget line, and by when.",
        "The steps of their decision process and who else is involved.",
        "What happens if they do nothing this year.",
        "Their procurement and security review requirements.",
        "How {competitor} positioned itself and at what price.",
    ],
    "questions_and_answers": [
        "'Why are you more expensive?' — show the three-year cost and the time saved.",
        "'Can it connect to our ERP?' — yes, through Integration Hub; offer the technical call.",
        "'How long does rollout take?' — six to ten weeks; share the plan of a similar customer.",
        "'What about security?' — share the certifications and offer the security review.",
    ],
    "best_outcome": [
        "{contact} books the security review with IT for next week.",
        "A signed pilot scope with success criteria and a date.",
        "The CFO agrees to a business-case review before the budget round.",
        "Verbal agreement on pricing and a date for the order form.",
        "An introduction to the economic buyer.",
    ],
    "fallback_objective": [
        "A date for a follow-up with the operations team.",
        "A list of the decision criteria and who sets them.",
        "Agreement on the next step, even if it is small.",
        "An honest answer on whether there is budget this year.",
    ],
    "contract_purpose": [
        "Decide whether to go ahead with a pilot.",
        "Agree on the proposal and the path to signature.",
        "Understand the process well enough to scope the rollout.",
    ],
    "contract_agenda": [
        "Priorities, demo on their data, decision process, next steps.",
        "Proposal, pricing options, contract terms, timeline.",
    ],
    "contract_their_wants": [
        "A clear answer on cost and effort.",
        "Confidence that the integration works.",
        "A timeline that fits their budget year.",
    ],
    "contract_our_wants": [
        "A decision date and access to the economic buyer.",
        "A yes or a no on the pilot.",
        "The criteria they will decide on.",
    ],
    "contract_best_outcome": [
        "We agree the pilot scope and book the kick-off.",
        "We agree the proposal and set the signature date.",
    ],
    "value_for_customer": [
        "Fewer manual hand-offs and a faster month-end.",
        "A rollout plan they can take to their board.",
        "Answers that unblock their security review.",
    ],
    "value_for_us": [
        "A qualified opportunity with a date, or a clean no.",
        "Access to the economic buyer.",
        "Knowing where we stand against {competitor}.",
    ],
}
# Outcomes. Most meetings achieve nothing a customer would call valuable.
ADVANCE_SHARE = 0.14
ADVANCE_SHARE_WON = 0.20
ADVANCE_SHARE_LOST = 0.105
QUALIFY_OUT_SHARE = 0.09  # of lost deals with meetings: the last one qualified it out
OUTCOME_RECORDED = 0.9
OUTCOME_RECORDED_LAST_WEEK = 0.5
COMMITMENTS: list[str] = [
    "Book the security review with IT",
    "Send the signed pilot scope",
    "Introduce us to the CFO",
    "Share the current process costs",
    "Send the integration list and ERP version",
    "Confirm the budget line for next quarter",
    "Return the redlined order form",
    "Arrange a call with a reference customer",
    "Schedule the business-case review with finance",
]
DISCOVERIES: list[str] = [
    "Their current contract with {competitor} ends in March: they can switch without a penalty.",
    "Finance has already set aside budget for operations tooling this year.",
    "The real sponsor is the COO, not IT: the pricing conversation goes through her.",
    "Month-end close takes them eight days; the board wants four.",
    "Procurement needs three quotes: we are the preferred one.",
]
NO_OUTCOME_NOTES: list[str] = [
    "Friendly conversation, but no commitment: {contact} wants to 'think about it'.",
    "We presented; they listened. No next step agreed.",
    "The decision maker did not show up; we went over the same ground again.",
    "Good energy, but nothing concrete: I did not ask for a next step.",
    "They asked for more material; no date for a follow-up.",
    "Mostly a demo of features they did not ask about.",
    "The meeting ran out of time before we got to pricing.",
    "{contact} was positive, but budget is still unclear.",
]
QUALIFIED_OUT_WHY: list[str] = [
    "No budget this year and no pain urgent enough to find one.",
    "They need an on-premise deployment we do not offer.",
    "The decision is already made for {competitor}; we are the comparison quote.",
    "The project was cancelled after their reorganisation.",
]
# Bad meetings: about one in sixteen.
BAD_SHARE = 0.075
BAD_CAUSES: dict[str, float] = {
    "pricing": 0.26,
    "timing": 0.18,
    "rep_fit": 0.14,
    "misalignment": 0.16,
    "quality": 0.16,
    "other": 0.10,
}
BAD_CONSEQUENCES: dict[str, float] = {
    "cycle_lengthened": 0.36,
    "relationship_damaged": 0.30,
    "opportunity_lost": 0.20,
    "future_lost": 0.14,
}
BAD_NOTES: dict[str, list[str]] = {
    "pricing": [
        "The price came up before we had shown any value; {contact} shut down.",
        "Procurement called our pricing 'out of touch' and left early.",
    ],
    "timing": [
        "They are in the middle of a reorganisation: nobody had time for us.",
        "We pushed for a decision before their budget round.",
    ],
    "rep_fit": [
        "{contact} and I did not click; the meeting turned defensive.",
        "I talked too much and did not listen to their concerns.",
    ],
    "misalignment": [
        "They came expecting the features from our campaign; half of them are on the roadmap.",
        "The webinar promised a two-week rollout; that is not what we sell.",
    ],
    "quality": [
        "Their trial environment was down during the demo.",
        "They brought up last quarter's support tickets; we had no answers.",
    ],
    "other": [
        "The video link failed and we lost half the meeting.",
        "The wrong people were in the room.",
    ],
}
OTHER_CAUSES = [
    "Wrong attendees",
    "Technical problems with the call",
    "A merger announced that day",
]
STAY_IN_NOTES = [
    "Still a real maybe: {contact} agreed to a follow-up with the right people.",
    "They still want to solve the problem; we reset expectations on timing.",
    "A new sponsor stepped in; worth one more try.",
]
QUALIFY_OUT_NOTES = [
    "A prolonged no: no reply to three follow-ups.",
    "They confirmed they will stay with {competitor}.",
]

# Relationships. Which losses hurt the relationship, and how long mending takes.
DAMAGING_LOSS = 0.10
DAMAGING_MAJOR_LOSS = 0.30
# How an episode of damage ends: (fate, weight, days to mend from, to).
MEND_FATES: list[tuple[str, float, int, int]] = [
    ("weeks", 0.30, 14, 60),
    ("months", 0.38, 61, 330),
    ("over_a_year", 0.10, 370, 560),
    ("lost_for_good", 0.05, 0, 0),
    ("unresolved", 0.17, 0, 0),
]
TOUCHPOINTS: list[tuple[str, str]] = [
    ("call", "Call {contact} to say we want to put things right"),
    ("email", "Email {contact} a summary of what we heard and what we will change"),
    ("share_value", "Share the benchmark report for their industry"),
    ("share_value", "Invite {contact} to the customer round-table"),
    ("meeting", "Coffee with {contact}: no agenda, no pitch"),
    ("call", "Check in after their quarter closes"),
]
TOUCHPOINT_NOTES = [
    "{contact} appreciated the call; tone much warmer.",
    "No reply yet, but the email was opened.",
    "{contact} forwarded the report to their team.",
    "Good conversation; they mentioned a project next year.",
]
REP_CHANGE_REASONS = [
    "Fresh start: {contact} asked for someone new.",
    "The account needs a senior rep after the bad meeting.",
    "Rapport never built; a different rep has worked with them before.",
]
RE_ENGAGE_NOTES = [
    "There is always next year: reopen when their budget round starts.",
    "Check in after their new COO has settled in.",
    "Their contract with the incumbent ends next spring.",
]

# Learning: the practices each team published, drafted or retired. Conditions by name; a
# name not in the database is skipped. `retro` is the retro (0, 1) a practice came from.
PRACTICES: dict[str, list[dict[str, object]]] = {
    "Americas": [
        {
            "statement": "Quantify the cost of the customer's current process before we send "
            "a proposal.",
            "why": "Buyers compared numbers when we had not shown the cost of their problem.",
            "status": "published",
            "retro": 0,
            "stages": ["Discovery", "Proposal"],
            "reasons": ["Price"],
            "published_days_ago": 180,
        },
        {
            "statement": "When Corvana or Stacklane is in the deal, offer a scoped proof of "
            "value on the customer's own data.",
            "why": "They won the close calls by running a pilot on the customer's data.",
            "status": "published",
            "retro": 0,
            "competitors": ["Corvana", "Stacklane"],
            "reasons": ["Competitor's offer"],
            "published_days_ago": 175,
        },
        {
            "statement": "Meet finance before the proposal on deals above 50k.",
            "why": "Single-threaded deals died when the budget owner appeared late.",
            "status": "published",
            "retro": 1,
            "stages": ["Qualification", "Discovery", "Proposal", "Negotiation"],
            "min_amount": 50_000,
            "reasons": ["No budget", "No decision or priority"],
            "published_days_ago": 100,
        },
        {
            "statement": "Line up a reference customer from the same segment before the "
            "proposal stage.",
            "why": "References from the same industry decided close calls.",
            "status": "draft",
            "retro": 1,
            "segments": ["Healthcare", "Financial services"],
        },
        {
            "statement": "Send the proposal within 24 hours of the discovery workshop.",
            "why": "Speed looked like commitment, but customers said it felt rushed.",
            "status": "retired",
            "stages": ["Discovery"],
            "published_days_ago": 320,
            "retired_days_ago": 150,
        },
    ],
    "EMEA": [
        {
            "statement": "Confirm the budget line and who signs in the qualification call.",
            "why": "The budget was assumed, never confirmed.",
            "status": "published",
            "retro": 0,
            "stages": ["Qualification", "Discovery"],
            "reasons": ["No budget"],
            "keywords": "budget, signs",
            "published_days_ago": 170,
        },
        {
            "statement": "Bring IT security into the evaluation early on Enterprise deals.",
            "why": "Security reviews surfaced in negotiation and stalled the deal for weeks.",
            "status": "published",
            "retro": 0,
            "products": ["Brightline Enterprise", "Advanced Security add-on"],
            "segments": [
                "Financial services",
                "Healthcare",
                "Public sector",
                "Software",
                "Manufacturing",
            ],
            "published_days_ago": 165,
        },
        {
            "statement": "Take procurement through the pricing options before the final proposal.",
            "why": "Procurement re-opened pricing at the last step.",
            "status": "published",
            "retro": 1,
            "keywords": "pricing, procurement",
            "max_amount": 250_000,
            "reasons": ["Price"],
            "published_days_ago": 95,
        },
        {
            "statement": "Agree a mutual close plan with dates after every meeting.",
            "why": "Next steps drifted between meetings.",
            "status": "draft",
            "retro": 1,
            "stages": ["Proposal", "Negotiation"],
        },
        {
            "statement": "Lead with the discount when the customer mentions budget.",
            "why": "It shortened some deals but taught buyers to wait for it.",
            "status": "retired",
            "reasons": ["Price", "No budget"],
            "segments": ["Retail", "Logistics", "Professional services"],
            "published_days_ago": 330,
            "retired_days_ago": 160,
        },
    ],
}
# What else the retro groups proposed: merged into a practice, or not taken up.
OTHER_PROPOSALS = [
    "Ask for the decision process in the first meeting.",
    "Send a written recap within a day of every meeting.",
    "Never present pricing without the business case next to it.",
    "Bring a solutions consultant to every demo.",
    "Test urgency early: what happens if they do nothing?",
    "Meet at least three people before the proposal.",
]
RETRO_TITLES = [
    "Retro: the {month} losses",
    "What we learnt from {customer}",
    "Retro: lost to competitors this quarter",
]
# Of a practice's matches on deals that closed: the share acted on before the deal closed,
# applied more often on the deals that went on to be won.
APPLIED_WON = 0.48
APPLIED_LOST = 0.32
NOT_RELEVANT = 0.12
# Of the matches on open deals: still to do, applied, not relevant.
OPEN_MATCH_STATES: dict[str, float] = {"suggested": 0.55, "applied": 0.30, "not_relevant": 0.15}
APPLIED_NOTES = [
    "Done: walked {contact} through it in the last meeting.",
    "Booked it for the next call with {contact}.",
    "Applied: shared it with the buying committee.",
    "Did it; the customer responded well.",
]
NOT_RELEVANT_NOTES = [
    "Already covered: the customer raised it themselves.",
    "Does not fit: the deal is a renewal with no change in scope.",
    "Not relevant at this stage of the deal.",
]
