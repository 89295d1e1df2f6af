package dev.backendteam.orchestrator.service;

import dev.backendteam.contract.JobAnswer;
import dev.backendteam.contract.JobRequest;
import dev.backendteam.contract.WriteRate;
import dev.backendteam.orchestrator.config.TargetRegistry;
import dev.backendteam.orchestrator.engine.FlowCatalog;
import dev.backendteam.orchestrator.service.InvalidRequestException.Kind;
import dev.backendteam.orchestrator.service.InvalidRequestException.Violation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestReaderTest {
    /** A NUL as JSON writes it; Jackson reads it as the character U+0000. */
    private static final String NUL = "\\u0000";

    private final RequestReader reader = new RequestReader(FlowCatalog.fromClasspath(),
            new TargetRegistry(List.of("backend-team.target.staging.url")), 1024 * 1024);

    private static byte[] utf8(String json) {
        return RequestReader.utf8(json.replace('\'', '"'));
    }

    private InvalidRequestException refusedRequest(String json) {
        return assertThrows(InvalidRequestException.class, () -> reader.readRequest(utf8(json)));
    }

    private static List<String> fields(InvalidRequestException e) {
        return e.violations().stream().map(Violation::field).toList();
    }

    /** Each body is valid without its NUL; with it, the field is named by its path. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "task                    | {'task':'a@b'}",
            "sql                     | {'task':'x','sql':'select 1;@'}",
            "logs                    | {'task':'x','logs':'@ERROR'}",
            "correlationId           | {'task':'x','correlationId':'c@1'}",
            "flow                    | {'task':'x','flow':'bug@'}",
            "target                  | {'task':'x','target':'staging@'}",
            "files[2].path           | {'task':'x','files':[{'path':'a','content':''},{'path':'b','content':''},{'path':'c@','content':''}]}",
            "files[2].content        | {'task':'x','files':[{'path':'a','content':''},{'path':'b','content':''},{'path':'c','content':'@'}]}",
            "queries[0].name         | {'task':'x','queries':[{'name':'q@','sql':'select 1'}]}",
            "queries[1].sql          | {'task':'x','queries':[{'name':'q','sql':'select 1'},{'sql':'select @'}]}",
            "spec.entities[0].name   | {'task':'x','spec':{'entities':[{'name':'po@st'}]}}",
            "spec.entities[0].fields.title[1] | {'task':'x','spec':{'entities':[{'name':'post','fields':{'title':['text','@']}}]}}",
            "spec.entities[0].na\\u0000me | {'task':'x','spec':{'entities':[{'na@me':'post'}]}}",
            "rowCounts.t\\u0000      | {'task':'x','rowCounts':{'t@':5}}",
    })
    void aNulAnywhereIsRefusedNamingItsPath(String field, String json) {
        JobRequest clean = reader.readRequest(utf8(json.replace("@", "")));
        assertTrue(clean.task() != null, "the body is valid without its NUL");
        InvalidRequestException e = refusedRequest(json.replace("@", NUL));
        assertEquals(Kind.UNPROCESSABLE, e.kind());
        assertEquals(List.of(field), fields(e), e.getMessage());
        assertTrue(e.violations().get(0).message().contains("NUL"), e.violations().get(0).message());
    }

    /** Found by GatewayHostileInputTest: Jackson kept the last of two values and the job ran on it. */
    @Test
    void aFieldGivenTwiceIsRefused() {
        InvalidRequestException e = refusedRequest("{'task':'first','flow':'bug','task':'second'}");
        assertEquals(Kind.MALFORMED, e.kind());
        assertTrue(e.getMessage().contains("Duplicate field 'task'"), e.getMessage());
        InvalidRequestException nested = refusedRequest("{'task':'x','spec':{'entities':[],'entities':[]}}");
        assertEquals(Kind.MALFORMED, nested.kind());
    }

    /** Found by GatewayHostileInputTest: a lone surrogate was stored as '?', so the job did not hold what was sent. */
    @Test
    void anUnpairedSurrogateIsRefusedAndAPairIsKept() {
        assertEquals("a \ud83d\ude00 b", reader.readRequest(utf8("{'task':'a \\ud83d\\ude00 b'}")).task());
        for (String lone : List.of("\\ud800", "\\udc00", "x\\ud83d", "\\ude00\\ud83d")) {
            InvalidRequestException e = refusedRequest("{'task':'x','logs':'bad " + lone + " end'}");
            assertEquals(Kind.UNPROCESSABLE, e.kind());
            assertEquals(List.of("logs"), fields(e), lone);
            assertTrue(e.violations().get(0).message().contains("unpaired UTF-16 surrogate"), e.getMessage());
        }
    }

    /** Found by GatewayHostileInputTest: a row count of "" or of "t; drop table jobs" reached the optimizer. */
    @Test
    void rowCountsAreOfTableNames() {
        InvalidRequestException e = refusedRequest("{'task':'x','rowCounts':{'':10,'t; drop table jobs':1,"
                + "'public.comments':5}}");
        assertEquals(List.of("rowCounts.", "rowCounts.t; drop table jobs"), fields(e));
        assertTrue(e.violations().get(0).message().contains("is not a table name"), e.getMessage());
    }

    @Test
    void everyNulIsNamedAtOnce() {
        InvalidRequestException e = refusedRequest("{'task':'a" + NUL + "','logs':'" + NUL + "','files':"
                + "[{'path':'p','content':'" + NUL + NUL + "'}]}");
        assertEquals(List.of("task", "logs", "files[0].content"), fields(e));
        assertEquals("3 fields are not acceptable", e.getMessage());
    }

    @Test
    void anAnswerWithANulIsRefusedLikeARequest() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> reader.readAnswer(utf8(
                "{'answer':'bug','files':[{'path':'Dockerfile','content':'FROM x" + NUL + "'}]}")));
        assertEquals(Kind.UNPROCESSABLE, e.kind());
        assertEquals(List.of("files[0].content"), fields(e));
        InvalidRequestException inAnswer = assertThrows(InvalidRequestException.class,
                () -> reader.readAnswer(utf8("{'answer':'b" + NUL + "ug'}")));
        assertEquals(List.of("answer"), fields(inAnswer));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "true", "5.5", "false", "0"})
    void aScalarForTheTaskIsTheWrongType(String scalar) {
        InvalidRequestException e = refusedRequest("{'task':" + scalar + "}");
        assertEquals(Kind.MALFORMED, e.kind());
        assertEquals(List.of("task"), fields(e));
        assertEquals("a field has the wrong type", e.getMessage());
        assertTrue(e.violations().get(0).message().startsWith("Cannot coerce "), e.violations().get(0).message());
        assertFalse(e.violations().get(0).message().contains("CoercionConfig"), "no advice about Jackson's config");
    }

    @Test
    void aStringForARowCountIsTheWrongType() {
        InvalidRequestException e = refusedRequest("{'task':'x','rowCounts':{'t':'5'}}");
        assertEquals(Kind.MALFORMED, e.kind());
        assertEquals(List.of("rowCounts.t"), fields(e));
        assertEquals(5L, reader.readRequest(utf8("{'task':'x','rowCounts':{'t':5}}")).rowCounts().get("t"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "../../etc/passwd  | has a '..' segment",
            "/etc/passwd       | is absolute (starts with '/')",
            "a/../b            | has a '..' segment",
            "C:/x              | starts with a drive letter ('C:')",
            "a//b              | has an empty segment ('//')",
    })
    void aFilePathOutsideTheProjectIsRefusedWithTheReason(String path, String reason) {
        InvalidRequestException e = refusedRequest("{'task':'x','files':[{'path':'Dockerfile','content':''},"
                + "{'path':'" + path + "','content':'x'}]}");
        assertEquals(Kind.UNPROCESSABLE, e.kind());
        assertEquals(List.of("files[1].path"), fields(e));
        assertTrue(e.violations().get(0).message().endsWith(reason), e.violations().get(0).message());
        InvalidRequestException inAnswer = assertThrows(InvalidRequestException.class, () -> reader.readAnswer(
                utf8("{'answer':'here','files':[{'path':'" + path + "','content':'x'}]}")));
        assertEquals(List.of("files[0].path"), fields(inAnswer));
    }

    @Test
    void aBackslashInAFilePathIsRefused() {
        InvalidRequestException e = refusedRequest("{'task':'x','files':[{'path':'C:\\\\evil','content':'x'}]}");
        assertEquals(List.of("files[0].path"), fields(e));
        assertTrue(e.violations().get(0).message().contains("'\\'"), e.violations().get(0).message());
    }

    @Test
    void projectPathsAreAccepted() {
        JobRequest request = reader.readRequest(utf8("{'task':'x','files':["
                + "{'path':'supabase/migrations/20240101000000_init.sql','content':'create table t();'},"
                + "{'path':'Dockerfile','content':'FROM x'},{'path':'.github/workflows/ci.yml','content':'on: push'}]}"));
        assertEquals(3, request.files().size());
    }

    @Test
    void aProjectsGrantModelIsExplicitOrLegacy() {
        assertEquals("legacy", reader.readRequest(utf8("{'task':'x','grants':'legacy'}")).grants());
        assertEquals("explicit", reader.readAnswer(utf8("{'answer':'yes','grants':'explicit'}")).grants());
        InvalidRequestException e = refusedRequest("{'task':'x','grants':'auto'}");
        assertEquals(Kind.UNPROCESSABLE, e.kind());
        assertEquals(List.of("grants"), fields(e));
        assertTrue(e.violations().get(0).message().startsWith("must be one of explicit, legacy"));
    }

    @Test
    void theOptimizersInputsAreReadAsGiven() {
        JobRequest request = reader.readRequest(utf8("{'task':'x','queries':[{'name':'q','sql':'select 1',"
                + "'frequency':120.5},{'sql':'select 2','frequency':0}],'writeRates':{'public.comments':"
                + "{'inserts':50,'updates':2.5},'posts':{'deletes':0}},'explain':'Seq Scan on comments'}"));
        assertEquals(120.5, request.queries().get(0).frequency());
        assertEquals(0.0, request.queries().get(1).frequency());
        assertEquals(new WriteRate(50.0, 2.5, null), request.writeRates().get("public.comments"));
        assertEquals(new WriteRate(null, null, 0.0), request.writeRates().get("posts"));
        assertEquals("Seq Scan on comments", request.explain().textValue());
        assertTrue(reader.readRequest(utf8("{'task':'x','explain':[{'Plan':{'Node Type':'Seq Scan'}}]}")).explain()
                .isArray());
        assertTrue(reader.readAnswer(utf8("{'answer':'x','explain':{'Plan':{'Node Type':'Seq Scan'},"
                + "'Planning Time':0.1}}")).explain().isObject());
    }

    /** Values of the right JSON type that are not acceptable: 422, each naming its field; answers alike. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "queries[1].frequency          | 'queries':[{'sql':'select 1'},{'sql':'select 2','frequency':-1}]",
            "queries[0].frequency          | 'queries':[{'sql':'select 1','frequency':1e400}]",
            "writeRates.comments.inserts   | 'writeRates':{'comments':{'inserts':-0.5}}",
            "writeRates.comments.updates   | 'writeRates':{'comments':{'updates':1e999}}",
            "writeRates.comments.deletes   | 'writeRates':{'comments':{'inserts':1,'deletes':-3}}",
            "writeRates.comments           | 'writeRates':{'comments':null}",
            "writeRates.drop table x       | 'writeRates':{'drop table x':{'inserts':1}}",
            "writeRates.                   | 'writeRates':{'':{'inserts':1}}",
            "writeRates.1comments          | 'writeRates':{'1comments':{'inserts':1}}",
            "writeRates.a.b.c              | 'writeRates':{'a.b.c':{'inserts':1}}",
            "explain                       | 'explain':'   '",
            "explain                       | 'explain':42",
            "explain                       | 'explain':true",
            "explain                       | 'explain':[]",
            "explain                       | 'explain':[{'Plan':{}},{'Plan':{}}]",
            "explain                       | 'explain':{'Node Type':'Seq Scan'}",
            "explain                       | 'explain':[{'Plan':'Seq Scan'}]",
    })
    void anUnacceptableOptimizerInputIsRefusedNamingItsField(String field, String json) {
        InvalidRequestException e = refusedRequest("{'task':'x'," + json + "}");
        assertEquals(Kind.UNPROCESSABLE, e.kind());
        assertEquals(List.of(field.strip()), fields(e), e.getMessage());
        InvalidRequestException inAnswer = assertThrows(InvalidRequestException.class,
                () -> reader.readAnswer(utf8("{'answer':'here'," + json + "}")));
        assertEquals(List.of(field.strip()), fields(inAnswer));
    }

    @Test
    void aTableNameMayBeLongAsPostgresAllowsAndNoLonger() {
        reader.readRequest(utf8("{'task':'x','writeRates':{'" + "t".repeat(63) + "':{'inserts':1}}}"));
        InvalidRequestException e = refusedRequest("{'task':'x','writeRates':{'" + "t".repeat(64) + "':{'inserts':1}}}");
        assertEquals(List.of("writeRates." + "t".repeat(64)), fields(e));
    }

    @Test
    void aPastedPlanHasASizeBound() {
        String big = "x".repeat(RequestReader.MAX_EXPLAIN_CHARS + 1);
        assertEquals(List.of("explain"), fields(refusedRequest("{'task':'x','explain':'" + big + "'}")));
        assertEquals(List.of("explain"), fields(refusedRequest("{'task':'x','explain':[{'Plan':{'Node Type':'"
                + big + "'}}]}")));
        reader.readRequest(utf8("{'task':'x','explain':'" + big.substring(1) + "'}"));
    }

    /** Wrong JSON types and unknown keys are malformed (400), as elsewhere: never converted, never dropped. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "queries[0].frequency          | 'queries':[{'sql':'select 1','frequency':'often'}]",
            "writeRates.comments.inserts   | 'writeRates':{'comments':{'inserts':'5'}}",
            "writeRates.comments.upserts   | 'writeRates':{'comments':{'upserts':5}}",
            "writeRates.comments           | 'writeRates':{'comments':5}",
            "writeRates                    | 'writeRates':[1]",
    })
    void aWrongTypeOrUnknownKeyInTheOptimizersInputsIsMalformed(String field, String json) {
        InvalidRequestException e = refusedRequest("{'task':'x'," + json + "}");
        assertEquals(Kind.MALFORMED, e.kind());
        assertEquals(List.of(field.strip()), fields(e), e.getMessage());
        InvalidRequestException inAnswer = assertThrows(InvalidRequestException.class,
                () -> reader.readAnswer(utf8("{'answer':'here'," + json + "}")));
        assertEquals(Kind.MALFORMED, inAnswer.kind());
    }

    @Test
    void aDotEnvFileKeepsItsNamesAndLosesItsValuesAtIntake() throws Exception {
        String env = "# prod credentials: hunter2-comment\n"
                + "DATABASE_URL=postgresql://app:s3cr3t-db@db:5432/app\n"
                + "export STRIPE_KEY='sk_live_abc'\n"
                + "PRIVATE_KEY=\"-----BEGIN KEY-----\nline-of-secret\n-----END KEY-----\"\n"
                + "  EMPTY=\n"
                + "not an assignment\n";
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        String files = mapper.writeValueAsString(List.of(
                java.util.Map.of("path", "app/.env", "content", env),
                java.util.Map.of("path", "app/.env.production", "content", "TOKEN=t0ken-prod\n"),
                java.util.Map.of("path", "app/.env.example", "content", "TOKEN=put-yours-here\n"),
                java.util.Map.of("path", "package.json", "content", "{\"name\":\"app\"}")));
        String body = "{\"task\":\"deploy this\",\"files\":" + files + "}";
        JobRequest request = reader.readRequest(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(DotEnvFiles.HEADER + "DATABASE_URL=\nSTRIPE_KEY=\nPRIVATE_KEY=\nEMPTY=\n",
                request.files().get(0).content());
        assertEquals(DotEnvFiles.HEADER + "TOKEN=\n", request.files().get(1).content());
        assertEquals("TOKEN=put-yours-here\n", request.files().get(2).content(), "a template is meant to be shared");
        assertEquals("{\"name\":\"app\"}", request.files().get(3).content());
        String stored = mapper.writeValueAsString(request);
        for (String secret : List.of("hunter2", "s3cr3t-db", "sk_live_abc", "line-of-secret", "t0ken-prod")) {
            assertFalse(stored.contains(secret), secret + " survived intake");
        }
        JobAnswer answer = reader.readAnswer(("{\"answer\":\"here\",\"files\":" + files + "}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(DotEnvFiles.HEADER + "TOKEN=\n", answer.files().get(1).content(), "answers too");
        assertTrue(DotEnvFiles.isDotEnv("prod.env") && DotEnvFiles.isDotEnv(".ENV") && !DotEnvFiles.isDotEnv("env.ts")
                && !DotEnvFiles.isDotEnv(".env.sample") && !DotEnvFiles.isDotEnv(".envrc"));
    }
}
