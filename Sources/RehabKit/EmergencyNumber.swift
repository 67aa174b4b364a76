/// The emergency number a patient is told to call: the patient file's `emergency_number`,
/// else a default for their time zone, else the words "your local emergency number".
///
/// **The default.** A zone has one only when tzdata's `zone1970.tab` lists exactly one
/// country for it and that country is in `numbers` below. Zones that tzdata shares between
/// countries get none, even when every one of them uses the same number (Europe/Berlin is
/// listed for DE, DK, NO, SE and SJ; Europe/London for GB, GG, IM and JE; Asia/Tokyo for JP
/// and AU): a patient there is told "your local emergency number", and `rehab validate`
/// warns so the clinic writes the number into the patient file. Links and old names
/// (`US/Eastern`, `Europe/Copenhagen`) are not rows of `zone1970.tab` and get none either.
///
/// `zones` was derived from tzdata 2025b's `zone1970.tab` (the rows with a single country
/// code, for the countries of `numbers`); a test checks it against the installed copy.
/// Everything here is pure: no file is read at run time.
///
/// ```swift
/// EmergencyNumber.for(zone: "Australia/Sydney")   // "000"
/// EmergencyNumber.for(zone: "Europe/Berlin")      // nil
/// EmergencyNumber.for(patient: patient)           // "112", or "your local emergency number"
/// ```
public enum EmergencyNumber {
    /// What patient text says when no number is known.
    public static let unknown = "your local emergency number"

    /// The number to call for an ambulance, by ISO 3166 country code. Only numbers that
    /// reach an ambulance from any phone in that country.
    public static let numbers: [String: String] = [
        // The EU's single emergency number, in every member state.
        "AT": "112", "BE": "112", "BG": "112", "CY": "112", "CZ": "112", "DE": "112", "DK": "112",
        "EE": "112", "ES": "112", "FI": "112", "FR": "112", "GR": "112", "HR": "112", "HU": "112",
        "IE": "112", "IT": "112", "LT": "112", "LU": "112", "LV": "112", "MT": "112", "NL": "112",
        "PL": "112", "PT": "112", "RO": "112", "SE": "112", "SI": "112", "SK": "112",
        // Europe outside the EU.
        "GB": "999", "NO": "112", "IS": "112", "CH": "112",
        // North America, Oceania, Japan.
        "US": "911", "CA": "911", "MX": "911", "AU": "000", "NZ": "111", "JP": "119",
    ]

    /// Zones that `zone1970.tab` gives to exactly one country of `numbers`, and that country.
    public static let zones: [String: String] = {
        let byCountry: [String: [String]] = [
            "AT": ["Europe/Vienna"],
            "AU": ["Australia/Lord_Howe", "Antarctica/Macquarie", "Australia/Hobart", "Australia/Melbourne",
                   "Australia/Sydney", "Australia/Broken_Hill", "Australia/Brisbane", "Australia/Lindeman",
                   "Australia/Adelaide", "Australia/Darwin", "Australia/Perth", "Australia/Eucla"],
            "BG": ["Europe/Sofia"],
            "CA": ["America/St_Johns", "America/Halifax", "America/Glace_Bay", "America/Moncton",
                   "America/Goose_Bay", "America/Iqaluit", "America/Winnipeg", "America/Resolute",
                   "America/Rankin_Inlet", "America/Regina", "America/Swift_Current", "America/Edmonton",
                   "America/Cambridge_Bay", "America/Inuvik", "America/Dawson_Creek", "America/Fort_Nelson",
                   "America/Whitehorse", "America/Dawson", "America/Vancouver"],
            "CY": ["Asia/Nicosia", "Asia/Famagusta"],
            "EE": ["Europe/Tallinn"],
            "ES": ["Europe/Madrid", "Africa/Ceuta", "Atlantic/Canary"],
            "GR": ["Europe/Athens"],
            "HU": ["Europe/Budapest"],
            "IE": ["Europe/Dublin"],
            "LT": ["Europe/Vilnius"],
            "LV": ["Europe/Riga"],
            "MT": ["Europe/Malta"],
            "MX": ["America/Mexico_City", "America/Cancun", "America/Merida", "America/Monterrey",
                   "America/Matamoros", "America/Chihuahua", "America/Ciudad_Juarez", "America/Ojinaga",
                   "America/Mazatlan", "America/Bahia_Banderas", "America/Hermosillo", "America/Tijuana"],
            "NZ": ["Pacific/Chatham"],
            "PL": ["Europe/Warsaw"],
            "PT": ["Europe/Lisbon", "Atlantic/Madeira", "Atlantic/Azores"],
            "RO": ["Europe/Bucharest"],
            "US": ["America/New_York", "America/Detroit", "America/Kentucky/Louisville",
                   "America/Kentucky/Monticello", "America/Indiana/Indianapolis", "America/Indiana/Vincennes",
                   "America/Indiana/Winamac", "America/Indiana/Marengo", "America/Indiana/Petersburg",
                   "America/Indiana/Vevay", "America/Chicago", "America/Indiana/Tell_City", "America/Indiana/Knox",
                   "America/Menominee", "America/North_Dakota/Center", "America/North_Dakota/New_Salem",
                   "America/North_Dakota/Beulah", "America/Denver", "America/Boise", "America/Los_Angeles",
                   "America/Anchorage", "America/Juneau", "America/Sitka", "America/Metlakatla",
                   "America/Yakutat", "America/Nome", "America/Adak", "Pacific/Honolulu"],
        ]
        var zones: [String: String] = [:]
        for (country, names) in byCountry { for name in names { zones[name] = country } }
        return zones
    }()

    /// The default number for an IANA zone name, or nil when there is none (see above).
    public static func `for`(zone: String) -> String? {
        zones[zone].flatMap { numbers[$0] }
    }

    /// The number the patient is told to call: their file's `emergency_number`, the default
    /// for their zone, or `unknown` ("your local emergency number").
    public static func `for`(patient: Patient) -> String {
        patient.emergencyNumber ?? self.for(zone: patient.timezone) ?? unknown
    }

    /// True when `for(patient:)` has no number to give (`rehab validate` warns).
    public static func isUnknown(for patient: Patient) -> Bool {
        patient.emergencyNumber == nil && self.for(zone: patient.timezone) == nil
    }
}
