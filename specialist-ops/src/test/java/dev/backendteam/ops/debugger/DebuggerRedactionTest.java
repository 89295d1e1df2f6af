package dev.backendteam.ops.debugger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Secrets a log carries are masked; the words around them are kept, so the error still reads. */
class DebuggerRedactionTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "postgresql://app:S3cret@db:5432/app|postgresql://app:***@db:5432/app",
            "redis://default:pa55word@cache.internal:6379|redis://default:***@cache.internal:6379",
            "jdbc:postgresql://db:5432/app?user=app&password=S3cret&ssl=true|jdbc:postgresql://db:5432/app?user=app&password=***&ssl=true",
            "PGPASSWORD=S3cret psql|PGPASSWORD=*** psql",
            "quarkus.datasource.password: S3cret|quarkus.datasource.password: ***",
            "{\"password\":\"S3cret\",\"user\":\"app\"}|{\"password\":\"***\",\"user\":\"app\"}",
            "{\\\"apiKey\\\":\\\"abc123def\\\"}|{\\\"apiKey\\\":\\\"***\\\"}",
            "Authorization: Bearer abcdEFGH1234ijkl|Authorization: Bearer ***",
            "key sk-proj-abcdefghijklmnop0123 used|key *** used",
            "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl|token ***",
            "AWS AKIAABCDEFGHIJKLMNOP|AWS ***",
            "password authentication failed for user \"app\"|password authentication failed for user \"app\"",
            "relation \"tokens\" does not exist|relation \"tokens\" does not exist",
            "STATEMENT:  alter role app with password 'hunter2'|STATEMENT:  alter role app with password '***'",
            "create user app PASSWORD 'S3cr3t!' login|create user app PASSWORD '***' login",
            "alter user app encrypted password 'it''s a secret';|alter user app encrypted password '***';",
            "password='my secret pw' host=db|password='***' host=db",
            "\"password\": \"my secret pw\", \"user\": \"app\"|\"password\": \"***\", \"user\": \"app\"",
            "pwd='a''b c' user=app|pwd='***' user=app",
            "Authorization: Token abcdef0123456789|Authorization: Token ***",
            "Token validation failed|Token validation failed",
            // what a model would now read in a log no pattern recognises: each masked too
            "postgresql://app:Zx9/k+Qw1==@db.internal:5432/app|postgresql://app:***@db.internal:5432/app",
            "redis://:p@ssw0rd@cache:6379|redis://:***@cache:6379",
            "x-api-key sk-ant-api03-abcdefghijklmnopqrstuv|x-api-key ***",
            "-----BEGIN RSA PRIVATE KEY----- MIIEowIBAAKCAQEA1x -----END RSA PRIVATE KEY----- done|*** done",
            "aws_secret_access_key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY|aws_secret_access_key ***",
            "create user app identified by 'hunter2'|create user app identified by '***'",
            "secret rotation finished for 3 services|secret rotation finished for 3 services" })
    void secretsAreMaskedAndErrorsStillRead(String raw, String redacted) {
        assertEquals(redacted, SecretRedactor.redact(raw));
    }
}
