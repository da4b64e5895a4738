/// One column of a listing's table (users, channels, bans, accounts): its
/// header, the field of each listed object it shows, and how.
///
/// Thread-safety: values; one thread (a command-line program).
struct ListingColumn {
    let header: String
    let field: String
    let show: (Any?) -> String

    init(_ header: String, _ field: String, show: @escaping (Any?) -> String = display) {
        self.header = header
        self.field = field
        self.show = show
    }
}
