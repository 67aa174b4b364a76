import RehabFormat
import RehabKit

/// The check-in pages as HTML: server-rendered, no JavaScript, labelled inputs and large
/// touch targets for a phone. They show program content only, never patient data.
enum CheckInPage {
    /// Each warning sign in plain words (docs/clinical-basis.md), most urgent first.
    static let flagWords: [(RedFlag, String)] = [
        (.saddleNumbness, "Numbness between your legs or around your bottom"),
        (.bladderBowel, "New trouble controlling your bladder or bowel"),
        (.worseningWeakness, "Leg weakness that is getting worse"),
        (.chestPain, "Chest pain"),
        (.breathlessness, "Sudden shortness of breath"),
        (.fever, "Fever over 38.3 C (101 F), or chills"),
        (.woundInfection, "More redness, swelling or fluid at the wound"),
        (.calfSwelling, "A swollen, painful or warm calf"),
        (.suddenLegPain, "Sudden new leg pain after a spell of relief"),
        (.spreading, "Pain moving further down your leg"),
    ]

    static let style = """
    body{font:18px/1.45 system-ui,sans-serif;margin:0 auto;max-width:36rem;padding:1rem;color:#111;background:#fff}
    h1{font-size:1.5rem}fieldset{border:1px solid #999;border-radius:.5rem;margin:0 0 1rem;padding:.75rem}
    legend{font-weight:bold;padding:0 .25rem}.scale{display:grid;grid-template-columns:repeat(6,1fr);gap:.4rem}
    .scale label,.choice label{display:flex;align-items:center;justify-content:center;min-height:48px;border:2px solid #555;border-radius:.5rem}
    .scale label{gap:.3rem;font-weight:bold}
    .choice label{justify-content:flex-start;padding:.3rem .6rem;margin:.4rem 0;gap:.6rem}
    input[type=radio],input[type=checkbox]{width:24px;height:24px;margin:0;flex:none}
    select,textarea{width:100%;font-size:1rem;min-height:48px;box-sizing:border-box}
    button{width:100%;min-height:56px;font-size:1.2rem;font-weight:bold;border-radius:.5rem;background:#064;color:#fff;border:0}
    .advice{font-size:1.6rem;font-weight:bold;color:#900;border:4px solid #900;padding:1rem;border-radius:.5rem}
    .hint{color:#333;font-size:.95rem}
    """

    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    static func document(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex">
        <title>\(escape(title))</title><style>\(style)</style></head>
        <body>\(body)</body></html>

        """
    }

    /// The form. `exercises` are (library id, name) pairs the report may name.
    static func form(action: String, exercises: [(id: String, name: String)]) -> String {
        var b = "<h1>How is your leg pain?</h1>\n"
        b += "<p class=\"hint\">Tell your plan how the exercises went. It adapts to your answers.</p>\n"
        b += "<form method=\"post\" action=\"\(escape(action))\">\n"
        b += "<fieldset><legend>Leg pain, 0 (none) to 10 (worst)</legend><div class=\"scale\">\n"
        for n in 0...10 {
            b += "<label for=\"pain-\(n)\"><input type=\"radio\" id=\"pain-\(n)\" name=\"pain\" value=\"\(n)\"> \(n)</label>\n"
        }
        b += "</div><p class=\"hint\">0-3 is fine. 4-5: keep to this dose. 6 or more: stop that exercise.</p></fieldset>\n"
        b += "<fieldset class=\"choice\"><legend>When</legend>\n"
        for (value, words) in [("during", "During the exercises"), ("after", "After the exercises"),
                               ("next-morning", "This morning (about yesterday)")] {
            let checked = value == "after" ? " checked" : ""
            b += "<label for=\"when-\(value)\"><input type=\"radio\" id=\"when-\(value)\" name=\"when\" value=\"\(value)\"\(checked)> \(words)</label>\n"
        }
        b += "</fieldset>\n"
        b += "<fieldset><legend><label for=\"exercise\">Exercise (optional)</label></legend>\n"
        b += "<select id=\"exercise\" name=\"exercise\"><option value=\"\">All of today's exercises</option>\n"
        for e in exercises {
            b += "<option value=\"\(escape(e.id))\">\(escape(e.name))</option>\n"
        }
        b += "</select></fieldset>\n"
        b += "<fieldset class=\"choice\"><legend>Do you have any of these?</legend>\n"
        for (flag, words) in flagWords {
            b += "<label for=\"flag-\(flag.rawValue)\"><input type=\"checkbox\" id=\"flag-\(flag.rawValue)\" name=\"flag\" value=\"\(flag.rawValue)\"> \(escape(words))</label>\n"
        }
        b += "<p class=\"hint\">Any of these except the last: stop your exercises. You may leave out the pain score.</p></fieldset>\n"
        b += "<fieldset><legend><label for=\"note\">Note (optional)</label></legend>\n"
        b += "<textarea id=\"note\" name=\"note\" rows=\"3\" maxlength=\"\(ReportDraft.maxNoteLength)\"></textarea></fieldset>\n"
        b += "<button type=\"submit\">Send my report</button>\n</form>\n"
        return document(title: "Pain check-in", body: b)
    }

    /// The answer to a saved report: any warning-sign advice large and first.
    static func saved(report: PainReport, advice: [String], dropped: [String], back: String) -> String {
        var b = ""
        for line in advice {
            b += "<p class=\"advice\" role=\"alert\">\(escape(line))</p>\n"
        }
        b += "<h1>Your report is saved</h1>\n"
        if let pain = report.pain { b += "<p>Pain \(pain)/10, \(escape(report.when.rawValue)).</p>\n" }
        for line in dropped {
            b += "<p class=\"hint\">Left out of this report: \(escape(line))</p>\n"
        }
        b += "<p><a href=\"\(escape(back))\">Send another report</a></p>\n"
        return document(title: "Report saved", body: b)
    }
}
