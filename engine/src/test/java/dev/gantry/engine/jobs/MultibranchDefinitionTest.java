package dev.gantry.engine.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@code kind: multibranch} in definition files: read beside jobs, every mistake at its line and column. */
class MultibranchDefinitionTest {

    private static String problems(String file, String text) {
        return assertThrows(InvalidDefinitionException.class, () -> DefinitionReader.readFile(file, text)).problems().stream()
                .map(DefinitionProblem::format).collect(Collectors.joining("\n"));
    }

    @Test
    void aMultibranchProjectIsReadBesideJobsInYamlAndJson() throws Exception {
        String yaml = """
                - name: shop
                  kind: multibranch
                  description: The shop, every branch
                  scm:
                    url: https://git.example.com/acme/shop.git
                    credentialsId: github-token
                - name: tools/lint
                  kind: pipeline
                  script: node { echo 'x' }
                - name: team/api
                  kind: multibranch
                  scm: {url: 'git@git.example.com:acme/api.git', path: ci/Jenkinsfile}
                """;
        List<DefinitionReader.Entry> e = DefinitionReader.readFile("jobs.yaml", yaml);
        assertEquals(List.of("shop", "tools/lint", "team/api"), e.stream().map(DefinitionReader.Entry::name).toList());
        assertEquals(new MultibranchDefinition("shop", "https://git.example.com/acme/shop.git", "github-token", "Jenkinsfile",
                "The shop, every branch"), e.get(0).multibranch());
        assertNull(e.get(0).definition());
        assertEquals(1, e.get(0).line());
        assertNull(e.get(1).multibranch());
        assertEquals(new MultibranchDefinition("team/api", "git@git.example.com:acme/api.git", null, "ci/Jenkinsfile", null), e.get(2).multibranch());

        String json = "{\"name\": \"shop\", \"kind\": \"multibranch\", \"scm\": {\"url\": \"https://git.example.com/acme/shop.git\"}}";
        assertEquals("https://git.example.com/acme/shop.git", DefinitionReader.readFile("jobs.json", json).get(0).multibranch().url());
    }

    @Test
    void mistakesInAMultibranchProjectAreReportedAtTheirLineAndColumn() {
        String yaml = """
                - name: shop
                  kind: multibranch
                  script: node { }
                  parameters: []
                  scm:
                    url: https://git.example.com/acme/shop.git
                    branch: main
                    credentialId: x
                - name: other
                  kind: multibranch
                - name: third
                  kind: multibrnch
                  script: node { }
                - name: shop/main
                  script: node { }
                """;
        assertEquals("""
                jobs.yaml:3:11: a multibranch project takes no script: each branch's pipeline comes from its pipeline file (scm: path:)
                jobs.yaml:4:15: a multibranch project takes no parameters: each branch's pipeline file declares its own parameters
                jobs.yaml:7:13: a multibranch project builds every branch and tag holding its pipeline file; leave branch: out (or make it a job without kind: multibranch)
                jobs.yaml:8:19: unknown field 'credentialId' in scm of a multibranch project; use url, path, credentialsId; did you mean 'credentialsId'?
                jobs.yaml:9:3: multibranch project 'other' needs scm: {url: ..., credentialsId: ...}: the repository whose branches it builds
                jobs.yaml:12:9: unknown kind 'multibrnch'; use pipeline (the default) or multibranch; did you mean 'multibranch'?
                jobs.yaml:14:3: job 'shop/main' is inside the multibranch project 'shop' (line 1), whose jobs its branch scans make; define it elsewhere""",
                problems("jobs.yaml", yaml));
    }

    @Test
    void aRestBodyCannotMakeAMultibranchProjectAJob() {
        InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class, () -> DefinitionReader.readBody("shop",
                Map.of("kind", "multibranch", "scm", Map.of("url", "https://git.example.com/acme/shop.git"))));
        assertEquals("kind: a multibranch project cannot be saved as a job: define it in a file for 'gantry job apply' (POST /api/v1/apply),"
                + " or PUT /api/v1/multibranch/{name}", e.problems().get(0).format());
    }
}
