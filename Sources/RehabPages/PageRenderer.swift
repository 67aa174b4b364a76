import Mustache

/// Renders the page and handout templates (`Templates/*.mustache`, embedded in the binary
/// as `EmbeddedTemplates`). Every `{{value}}` is HTML-escaped; only the drawings and QR
/// codes, which are our own SVG, are inserted with `{{{ }}}`.
public struct PageRenderer: Sendable {
    /// A template that did not parse or is missing: a build mistake, never patient input.
    public struct PageError: Error, CustomStringConvertible {
        public var description: String
    }

    let library: MustacheLibrary

    /// The renderer over the embedded templates.
    public static let shared: Result<PageRenderer, PageError> = {
        do throws(PageError) { return .success(try PageRenderer(templates: EmbeddedTemplates.files)) } catch { return .failure(error) }
    }()

    init(templates: [String: String]) throws(PageError) {
        var library = MustacheLibrary()
        for (name, text) in templates.sorted(by: { $0.key < $1.key }) {
            do { try library.register(text, named: name) } catch {
                throw PageError(description: "template \(name) does not parse: \(error)")
            }
        }
        self.library = library
    }

    /// The rendered template `name` for `view`.
    func render(_ view: Any, template name: String) throws(PageError) -> String {
        guard let text = library.render(view, withTemplate: name) else {
            throw PageError(description: "no template named \(name)")
        }
        return text
    }

    static func render(_ view: Any, template name: String) throws(PageError) -> String {
        try shared.get().render(view, template: name)
    }

    /// True when the embedded set has a template of this name.
    func has(_ name: String) -> Bool { library.getTemplate(named: name) != nil }
}
