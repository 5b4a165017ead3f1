package dev.gantry.engine.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.engine.pipeline.Problem;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DefinitionReaderTest {

    private static List<DefinitionProblem> problems(String file, String text) {
        return assertThrows(InvalidDefinitionException.class, () -> DefinitionReader.readFile(file, text)).problems();
    }

    private static String formatted(List<DefinitionProblem> problems) {
        return problems.stream().map(DefinitionProblem::format).collect(Collectors.joining("\n"));
    }

    @Test
    void aFullYamlDefinitionIsReadWithEveryField() throws Exception {
        String yaml = """
                name: team-a/api
                description: The API service
                script: |
                  pipeline { agent any; stages { stage('A') { steps { echo 'a' } } } }
                parameters:
                  - {type: string, name: TARGET, defaultValue: staging, description: where, trim: true}
                  - {type: booleanParam, name: DRY_RUN, defaultValue: true}
                  - {type: choice, name: REGION, choices: [eu, us]}
                  - {type: text, name: NOTES}
                options:
                  quietPeriod: 5
                  disableConcurrentBuilds: {abortPrevious: true}
                  buildDiscarder: {numToKeep: 10, daysToKeep: 30, artifactNumToKeep: 2, artifactDaysToKeep: 7}
                """;
        List<DefinitionReader.Entry> entries = DefinitionReader.readFile("jobs.yaml", yaml);
        assertEquals(1, entries.size());
        JobDefinition d = entries.get(0).definition();
        assertEquals("team-a/api", d.name());
        assertTrue(d.script().startsWith("pipeline {"));
        assertEquals("The API service", d.spec().description());
        assertEquals(List.of(
                new ParameterDefinition("string", "TARGET", "staging", "where", List.of(), true),
                new ParameterDefinition("booleanParam", "DRY_RUN", true, null, List.of(), false),
                new ParameterDefinition("choice", "REGION", null, null, List.of("eu", "us"), false),
                new ParameterDefinition("text", "NOTES", "", null, List.of(), false)), d.spec().parameters());
        assertEquals(new JobOptions(5, true, true, new LogRotator(30, 10, 7, 2)), d.spec().options());
        assertEquals(1, entries.get(0).line());
    }

    @Test
    void severalJobsComeFromDocumentsOrAList() throws Exception {
        String docs = "name: a\nscript: node { }\n---\nname: b\nscm: {url: 'https://example.com/b.git'}\n---\n";
        List<DefinitionReader.Entry> e = DefinitionReader.readFile("jobs.yml", docs);
        assertEquals(List.of("a", "b"), e.stream().map(x -> x.definition().name()).toList());
        assertEquals(new ScmSource("https://example.com/b.git", null, "Jenkinsfile"), e.get(1).definition().spec().scm());
        assertNull(e.get(1).definition().script());
        String list = "[{\"name\": \"x/one\", \"script\": \"node { }\"}, {\"name\": \"x/two\", \"script\": \"node { }\"}]";
        assertEquals(2, DefinitionReader.readFile("jobs.json", list).size());
    }

    @Test
    void unknownFieldsSuggestTheClosestAndSayWhere() {
        List<DefinitionProblem> p = problems("jobs.yaml", "name: a\nscirpt: node { }\noptions:\n  quietPeriode: 3\n");
        String all = formatted(p);
        assertTrue(all.contains("jobs.yaml:2:1: unknown field 'scirpt' in job definition; did you mean 'script'?"), all);
        assertTrue(all.contains("jobs.yaml:4:3: unknown field 'quietPeriode' in options; did you mean 'quietPeriod'?"), all);
        assertTrue(all.contains("needs script:"), all);
    }

    @Test
    void wrongTypesAreReportedAtTheValue() {
        String yaml = """
                name: a
                script: node { }
                parameters:
                  - {type: booleanParam, name: B, defaultValue: maybe}
                  - {type: choise, name: C}
                  - {type: string, name: '1bad', defaultValue: 8080}
                options:
                  quietPeriod: five
                  disableConcurrentBuilds: sometimes
                  buildDiscarder: {numToKeepStr: '10'}
                """;
        String all = formatted(problems("a.yaml", yaml));
        assertTrue(all.contains("a.yaml:4:49: defaultValue of booleanParam 'B' must be true or false, not the string 'maybe'"), all);
        assertTrue(all.contains("a.yaml:5:12: unknown parameter type 'choise'; use one of string, text, booleanParam, choice; did you mean 'choice'?"), all);
        assertTrue(all.contains("a.yaml:6:26: parameter name '1bad' must start with a letter"), all);
        assertTrue(all.contains("a.yaml:8:16: quietPeriod (seconds) must be a whole number, not the string 'five'"), all);
        assertTrue(all.contains("a.yaml:9:28: disableConcurrentBuilds must be true, false or {abortPrevious: true}"), all);
        assertTrue(all.contains("a.yaml:10:20: unknown field 'numToKeepStr' in buildDiscarder; did you mean 'numToKeep'?"), all);
    }

    @Test
    void numbersForStringsAskForQuotes() {
        String all = formatted(problems("a.yaml", "name: a\nscript: node { }\nparameters:\n  - {type: string, name: PORT, defaultValue: 8080}\n"));
        assertTrue(all.contains("a.yaml:4:46: defaultValue of string parameter 'PORT' must be a string, not the number 8080; quote it: '8080'"), all);
    }

    @Test
    void hostileNamesAreRefusedWithTheNameRules() {
        for (String name : List.of("../etc", "a/%2e%2e/b", "<script>", "a//b", "tab\\there")) {
            String all = formatted(problems("a.json", "{\"name\": \"" + name + "\", \"script\": \"node { }\"}"));
            assertTrue(all.startsWith("a.json:1:10: "), all);
        }
    }

    @Test
    void scriptAndScmTogetherOrNeitherAreRefused() {
        assertTrue(formatted(problems("a.yaml", "name: a\nscript: node { }\nscm: {url: x}\n")).contains("a.yaml:3:6: give either script:"));
        assertTrue(formatted(problems("a.yaml", "name: a\nscm: {branch: main}\n")).contains("scm needs url:"));
        assertTrue(formatted(problems("a.yaml", "name: a\nscm: {url: x, path: ../../etc/passwd}\n")).contains("scm path must be a file inside the repository"));
    }

    @Test
    void duplicatesInAFileAreRefused() {
        String all = formatted(problems("a.yaml", "- {name: a, script: 'node { }'}\n- {name: a, script: 'node { }'}\n"));
        assertTrue(all.contains("a.yaml:2:3: job 'a' is defined twice in this file; the first is at line 1"), all);
        String keys = formatted(problems("a.yaml", "name: a\nscript: 'node { }'\nname: b\n"));
        assertTrue(keys.contains("a.yaml:3:1: duplicate field 'name'; the first is at line 1"), keys);
        String params = formatted(problems("a.yaml", "name: a\nscript: 'node { }'\nparameters:\n- {type: string, name: X}\n- {type: text, name: X}\n"));
        assertTrue(params.contains("parameter 'X' is declared twice; the first is at line 4"), params);
    }

    @Test
    void malformedFilesNameTheirLineAndColumn() {
        String yaml = formatted(problems("a.yaml", "name: a\nscript: [unclosed\nb: 2\n"));
        assertTrue(yaml.startsWith("a.yaml:3:2: malformed YAML: "), yaml);
        String json = formatted(problems("a.json", "{\"name\": \"a\",\n \"script\": }"));
        assertTrue(json.startsWith("a.json:2:12: malformed JSON: "), json);
        assertTrue(formatted(problems("a.yaml", "")).contains("the file defines no job"));
        assertTrue(formatted(problems("a.yaml", "just text\n")).contains("a.yaml:1:1: expected a job definition"));
    }

    @Test
    void choiceParametersNeedChoicesAndNoDefault() {
        String all = formatted(problems("a.yaml", "name: a\nscript: x\nparameters:\n- {type: choice, name: C, defaultValue: b, choices: [a, a, 1]}\n- {type: choice, name: D}\n"));
        assertTrue(all.contains("choice parameter 'C' takes no defaultValue"), all);
        assertTrue(all.contains("choice 'a' of 'C' is listed twice"), all);
        assertTrue(all.contains("a choice of 'C' must be a string, not the number 1; quote it: '1'"), all);
        assertTrue(all.contains("choice parameter 'D' needs choices:"), all);
    }

    @Test
    void aRestBodyIsCheckedFieldByField() throws Exception {
        JobDefinition d = DefinitionReader.readBody("j", Map.of("script", "node { }", "options", Map.of("quietPeriod", 2)));
        assertEquals(2, d.spec().options().quietPeriod());
        InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class,
                () -> DefinitionReader.readBody("j", Map.of("script", "node { }", "parameters", List.of(Map.of("type", "string")))));
        assertEquals("parameters[0]: a parameter needs name:", e.problems().get(0).format());
    }

    @Test
    void scriptProblemsArePlacedInTheFileForLiteralBlocks() throws Exception {
        String yaml = "name: a\nscript: |\n  node {\n    ech 'x'\n  }\n";
        DefinitionReader.Entry e = DefinitionReader.readFile("a.yaml", yaml).get(0);
        DefinitionProblem p = e.script().place("a.yaml", "a", new Problem(2, 5, "Unknown step 'ech'"));
        assertEquals("a.yaml:4:7: Unknown step 'ech'", p.format());
        DefinitionReader.Entry j = DefinitionReader.readFile("a.json", "{\"name\": \"a\",\n \"script\": \"node {\\n ech 'x' }\"}").get(0);
        assertEquals("a.json:2:12: pipeline line 2, column 2: Unknown step 'ech'",
                j.script().place("a.json", "a", new Problem(2, 2, "Unknown step 'ech'")).format());
    }
}
