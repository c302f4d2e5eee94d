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
