"""Mail: connections, MIME parsing, IMAP sync, SMTP sending and the outbox."""
