public enum ChatServerVersion { public static let string = "0.1.0" }
