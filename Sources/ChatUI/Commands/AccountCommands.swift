import ChatServer

/// /nick /away /register.
///
/// Thread-safety: the handlers run on the loop thread.
enum AccountCommands {
    static let all: [UICommand] = [
        UICommand("nick", "/nick newnick", "change your nick", min: 1) { app, a in
            app.sendOrComplain(IRCMessage(command: "NICK", params: [a[0]!]))
        },
        UICommand("away", "/away [message]", "mark yourself away (no message: back)") { app, a in
            app.sendOrComplain(IRCMessage(command: "AWAY", params: a.raw.isEmpty ? [] : [a.raw]))
        },
        UICommand("register", "/register [email]", "register your nick as an account (asks for the password)") { app, a in
            guard app.connection.isRegistered else { return app.error("Not connected") }
            let email = a[0] ?? "*"
            // The password is typed into a masked prompt, never onto a command line.
            // Asked twice, as chatctl does: a typo in a masked prompt would
            // otherwise lock the user out of the account just made.
            app.askSecret("Password for \(app.connection.nick): ") { password in
                guard password.count >= 8 else { return app.error("Passwords need at least 8 characters; /register to try again") }
                app.askSecret("Password again: ") { again in
                    guard again == password else { return app.error("The passwords differ; /register to try again") }
                    app.connection.register(email: email, password: password)
                    app.info("Registering \(app.connection.nick)…")
                }
            }
        },
    ]
}
