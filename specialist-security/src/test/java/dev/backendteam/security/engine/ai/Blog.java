package dev.backendteam.security.engine.ai;

import dev.backendteam.contract.access.AccessIntent;
import dev.backendteam.security.engine.catalog.SchemaCatalog;
import dev.backendteam.security.engine.intent.IntentResolver;

import java.util.List;
import java.util.Set;

/**
 * The catalog of drafting/blog.sql as the sandbox reads it (posts, comments on them), plus a reviewer column on posts
 * that is a uuid but references nobody and a title that is text: what the owner-column rules need.
 */
final class Blog {
    static final String GOOD = """
            {"access": {
             "posts": {"select": ["authenticated"], "insert": ["owner"], "update": ["owner"], "delete": ["owner"]},
             "comments": {"select": ["authenticated"], "insert": ["owner"], "update": ["owner"], "delete": ["owner"]}},
             "ownerColumns": {"posts": "author_id", "comments": "author_id"}}""";

    static final SchemaCatalog CATALOG = new SchemaCatalog(List.of(
            table("posts", List.of(uuid("id"), uuid("author_id"), text("title"), uuid("reviewer")),
                    List.of(fk("author_id", "auth", "users"))),
            table("comments", List.of(uuid("id"), uuid("post_id"), uuid("author_id"), text("body")),
                    List.of(fk("author_id", "auth", "users"), fk("post_id", "public", "posts")))));

    static final Set<String> TABLES = Set.of("public.posts", "public.comments");

    private Blog() {
    }

    /** The engine's resolution with no spec: every table inferred. */
    static AccessIntent resolved() {
        return IntentResolver.resolve(null, CATALOG).intent();
    }

    static DraftCheck check() {
        AccessIntent resolved = resolved();
        return new DraftCheck(resolved, CATALOG, DraftCheck.undeclared(resolved, TABLES));
    }

    static AccessDraft draft(String json) {
        try {
            return check().normalized(AccessDraft.parse(json));
        } catch (AccessDraft.Unreadable e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    private static SchemaCatalog.Table table(String name, List<SchemaCatalog.Column> columns,
            List<SchemaCatalog.ForeignKey> fks) {
        return new SchemaCatalog.Table("public", name, false, false, columns, List.of("id"), fks, List.of(), List.of(),
                List.of(), List.of());
    }

    private static SchemaCatalog.Column uuid(String name) {
        return new SchemaCatalog.Column(name, "uuid", true, name.equals("id"), "", "", List.of());
    }

    private static SchemaCatalog.Column text(String name) {
        return new SchemaCatalog.Column(name, "text", true, false, "", "", List.of());
    }

    private static SchemaCatalog.ForeignKey fk(String column, String schema, String table) {
        return new SchemaCatalog.ForeignKey("fk_" + column, List.of(column), "cascade", schema, table, List.of("id"));
    }
}
