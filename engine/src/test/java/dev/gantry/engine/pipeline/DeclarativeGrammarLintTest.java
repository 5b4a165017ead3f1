package dev.gantry.engine.pipeline;

import static dev.gantry.engine.pipeline.TestSteps.assertClean;
import static dev.gantry.engine.pipeline.TestSteps.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The declarative grammar, one rule at a time: a valid form and an invalid one. */
class DeclarativeGrammarLintTest {

    /** A pipeline with {@code sections} (starting at line 3) and one simple stage after them. */
    private static String pipelineWith(String sections) {
        return "pipeline {\n  agent any\n" + sections + "\n  stages {\n    stage('S') {\n      steps { echo 'x' }\n"
                + "    }\n  }\n}\n";
    }

    /** A pipeline whose stage 'S' has these sections (starting at line 5). */
    private static String stageWith(String sections) {
        return "pipeline {\n  agent any\n  stages {\n    stage('S') {\n" + sections + "\n    }\n  }\n}\n";
    }

    @Test
    void requiredSectionsAreReportedAtThePipelineLine() {
        assertProblem("// header\npipeline {\n  agent any\n}\n", 2, "Missing required section 'stages'");
        assertProblem("pipeline {\n  stages { stage('a') { steps { echo 'x' } } }\n}\n", 1,
                "Missing required section 'agent'");
    }

    @Test
    void unknownAndDuplicateSections() {
        assertProblem(pipelineWith("  enviroment { A = '1' }"), 3, "Unknown section 'enviroment'",
                "did you mean 'environment'?");
        assertProblem(pipelineWith("  agent none"), 3, "Duplicate section 'agent'");
        assertProblem(pipelineWith("  steps { echo 'x' }"), 3, "'steps' belongs in a stage");
        assertProblem(pipelineWith("  def x = 1"), 3, "Expected a section of pipeline");
    }

    @Test
    void codeOutsideThePipelineIsAllowedButTwoPipelinesAreNot() {
        assertClean("def greet(n) { echo \"hi ${n}\" }\ndef x = 2\n" + pipelineWith("")
                .replace("echo 'x'", "script { greet('me') }"));
        String two = pipelineWith("") + pipelineWith("");
        assertProblem(two, 10, "Only one pipeline");
    }

    @Test
    void agentForms() {
        assertClean(pipelineWith("").replace("agent any", "agent none").replace("stage('S') {",
                "stage('S') {\n      agent { label 'linux' }"));
        assertClean(pipelineWith("").replace("agent any", "agent { node { label 'x'; customWorkspace 'ws' } }"));
        assertClean(pipelineWith("").replace("agent any", "agent label: 'linux'"));
        assertProblem(pipelineWith("").replace("agent any", "agent anything"), 2, "agent must be any, none");
        assertProblem(pipelineWith("").replace("agent any", "agent { lable 'x' }"), 2, "Unknown agent type 'lable'",
                "'label'");
        assertProblem(pipelineWith("").replace("agent any", "agent { node { customWorkspace 'ws' } }"), 2,
                "missing required setting 'label'");
        assertProblem(pipelineWith("").replace("agent any", "agent { label 'a'\n label 'b' }"), 3,
                "exactly one agent type");
    }

    @Test
    void pluginAgentsAreValidatedThenNeedTheirPlugin() {
        String docker = pipelineWith("").replace("agent any",
                "agent { docker { image 'maven:3'; args '-v x:y'; reuseNode true } }");
        assertProblem(docker, 2, "agent docker needs the docker plugin, which is not installed");
        PipelineLinter withDocker = new PipelineLinter(TestSteps.library(),
                Set.of("any", "none", "label", "node", "docker", "dockerfile"));
        assertTrue(withDocker.lint("J", docker).ok(), () -> TestSteps.show(withDocker.lint("J", docker)));
        assertTrue(withDocker.lint("J", pipelineWith("").replace("agent any", "agent { docker 'node:20' }")).ok());
        assertTrue(withDocker.lint("J", pipelineWith("").replace("agent any", "agent { dockerfile true }")).ok());
        LintResult bad = withDocker.lint("J", pipelineWith("").replace("agent any",
                "agent { docker { imag 'x'; reuseNode 'yes' } }"));
        TestSteps.assertProblem(bad, 2, "Unknown setting 'imag'", "'image'");
        TestSteps.assertProblem(bad, 2, "reuseNode", "boolean");
        TestSteps.assertProblem(bad, 2, "missing required setting 'image'");
        LintResult kube = TestSteps.lint(pipelineWith("").replace("agent any",
                "agent { kubernetes { yaml '''\nkind: Pod\n'''\n defaultContainer 'maven' } }"));
        TestSteps.assertProblem(kube, 2, "needs the kubernetes plugin");
        assertEquals(1, kube.problems().size(), TestSteps.show(kube));
    }

    @Test
    void stagesNeedStagesWithUniqueNonEmptyNames() {
        assertProblem("pipeline {\n  agent any\n  stages {\n  }\n}\n", 3, "at least one stage");
        assertProblem("pipeline {\n  agent any\n  stages {\n    echo 'x'\n  }\n}\n", 4, "Only stage('name')");
        assertProblem(stageWith("steps { echo 'x' }").replace("stage('S')", "stage('')"), 4, "must not be empty");
        assertProblem(stageWith("steps { echo 'x' }").replace("stage('S')", "stage(42)"), 4, "must be a string");
        String nested = stageWith("stages {\n stage('S') { steps { echo 'x' } }\n}");
        assertProblem(nested, 6, "Duplicate stage name 'S'");
    }

    @Test
    void stageSections() {
        assertProblem(stageWith("stepz { echo 'x' }"), 5, "Unknown section 'stepz'", "'steps'");
        assertProblem(stageWith("when { branch 'main' }"), 4, "nothing to do");
        LintResult r = assertProblem(stageWith("steps { echo 'x' }\nstages { stage('T') { steps { echo 'y' } } }"),
                4, "Stage 'S' has steps and stages; only one of steps, stages, parallel or matrix");
        TestSteps.assertProblem(r, 5, "'steps' conflicts with stages");
        TestSteps.assertProblem(r, 6, "'stages' conflicts with steps");
        assertProblem(stageWith("steps { echo 'x' }\nsteps { echo 'y' }"), 6, "Duplicate section 'steps'");
        assertProblem(stageWith("parameters { string(name: 'X') }\nsteps { echo 'x' }"), 5,
                "only allowed directly in pipeline");
    }

    @Test
    void failFastOnlyWithParallelAndBoolean() {
        assertClean(stageWith("failFast true\nparallel { stage('A') { steps { echo 'a' } } }"));
        assertProblem(stageWith("failFast true\nsteps { echo 'x' }"), 5, "only allowed in a stage with parallel");
        assertProblem(stageWith("failFast 'yes'\nparallel { stage('A') { steps { echo 'a' } } }"), 5,
                "true or false");
    }

    @Test
    void parallelTakesStagesAndDoesNotNest() {
        assertProblem(stageWith("parallel {\n echo 'x'\n}"), 6, "Only stage('name')");
        String nested = stageWith("parallel {\n stage('A') {\n  stages {\n   stage('B') {\n    parallel {\n"
                + "     stage('C') { steps { echo 'c' } }\n    }\n   }\n  }\n }\n}");
        assertProblem(nested, 9, "parallel cannot be nested inside parallel");
        assertClean(stageWith("parallel {\n stage('A') {\n  stages {\n   stage('B') { steps { echo 'b' } }\n  }\n"
                + " }\n stage('C') { steps { echo 'c' } }\n}"));
    }

    @Test
    void stepsTakeOnlyStepsAndScriptBlocks() {
        assertProblem(TestSteps.inSteps("        def x = 1"), 6,
                "Expected a step; wrap Groovy code in a script { } block");
        assertProblem(TestSteps.inSteps("        if (true) { echo 'x' }"), 6, "Expected a step");
        assertClean(TestSteps.inSteps("        script {\n          def x = 1\n          if (x > 0) { echo 'x' }\n"
                + "        }"));
        assertProblem("pipeline {\n  agent any\n  stages {\n    stage('S') {\n      steps {\n      }\n    }\n  }\n}\n",
                5, "steps { } is empty");
    }

    @Test
    void environmentTakesAssignments() {
        assertClean(pipelineWith("  environment {\n    A = 'x'\n    B = \"${env.A}-y\"\n    C = 3\n    D = true\n"
                + "    E = credentials('token')\n    F = sh(script: 'date', returnStdout: true).trim()\n  }"));
        assertProblem(pipelineWith("  environment {\n    echo 'x'\n  }"), 4, "Expected NAME = value");
        assertProblem(pipelineWith("  environment {\n    A = ['x']\n  }"), 4, "must be a string", "a list");
        assertProblem(pipelineWith("  environment {\n    env.A = 'x'\n  }"), 4, "plain identifier");
        assertProblem(pipelineWith("  environment {\n    A = 'x'\n    A = 'y'\n  }"), 5, "set twice");
        assertProblem(pipelineWith("  environment {\n    A = bogusStep('x')\n  }"), 4, "Unknown step 'bogusStep'");
    }

    @Test
    void pipelineOptions() {
        assertClean(pipelineWith("  options {\n    buildDiscarder(logRotator(numToKeepStr: '10', daysToKeepStr: '30'))\n"
                + "    checkoutToSubdirectory('src')\n    disableConcurrentBuilds(abortPrevious: true)\n"
                + "    disableResume()\n    newContainerPerStage()\n    overrideIndexTriggers(false)\n"
                + "    preserveStashes(buildCount: 5)\n    quietPeriod(30)\n"
                + "    retry(count: 2, conditions: [agent(), nonresumable()])\n    skipDefaultCheckout()\n"
                + "    skipStagesAfterUnstable()\n    timeout(time: 1, unit: 'HOURS', activity: true)\n"
                + "    timestamps()\n    parallelsAlwaysFailFast()\n    ansiColor('xterm')\n  }"));
        assertClean(pipelineWith("  options { timeout(30); retry(3); disableConcurrentBuilds() }"));
        assertProblem(pipelineWith("  options {\n    timestamp()\n  }"), 4, "Unknown option 'timestamp'",
                "'timestamps'");
        assertProblem(pipelineWith("  options {\n    timeout(time: 'ten', unit: 'MINUTES')\n  }"), 4,
                "'time' of option 'timeout' must be a whole number, not a string");
        assertProblem(pipelineWith("  options {\n    timeout(time: 10, unit: 'MINUTS')\n  }"), 4,
                "must be one of", "did you mean 'MINUTES'?");
        assertProblem(pipelineWith("  options {\n    timeout(tim: 10)\n  }"), 4, "Unknown parameter 'tim'", "'time'");
        assertProblem(pipelineWith("  options {\n    timeout(unit: 'HOURS')\n  }"), 4, "missing required parameter 'time'");
        assertProblem(pipelineWith("  options {\n    buildDiscarder('ten')\n  }"), 4, "logRotator");
        assertProblem(pipelineWith("  options {\n    buildDiscarder(logRotator(numToKeep: '1'))\n  }"), 4,
                "Unknown parameter 'numToKeep'", "numToKeepStr");
        assertProblem(pipelineWith("  options {\n    quietPeriod(5)\n    quietPeriod(6)\n  }"), 5, "given twice");
    }

    @Test
    void stageOptions() {
        assertClean(stageWith("options { timeout(time: 5, unit: 'SECONDS'); retry(2); timestamps(); "
                + "skipDefaultCheckout() }\nsteps { echo 'x' }"));
        assertProblem(stageWith("options {\n buildDiscarder(logRotator(numToKeepStr: '1'))\n}\nsteps { echo 'x' }"),
                6, "only allowed in the pipeline's options");
    }

    @Test
    void parameters() {
        assertClean(pipelineWith("  parameters {\n    string(name: 'TARGET', defaultValue: 'staging', description: 'd',"
                + " trim: true)\n    text(name: 'NOTES', defaultValue: '')\n"
                + "    booleanParam(name: 'DRY_RUN', defaultValue: true)\n"
                + "    choice(name: 'REGION', choices: ['a', 'b'])\n    choice(name: 'ENV', choices: 'dev\\nprod')\n"
                + "    password(name: 'SECRET', defaultValue: '')\n  }"));
        assertProblem(pipelineWith("  parameters {\n    strng(name: 'X')\n  }"), 4, "Unknown parameter type 'strng'",
                "'string'");
        assertProblem(pipelineWith("  parameters {\n    booleanParam(name: 'X', defaultValue: 'true')\n  }"), 4,
                "must be a boolean, not a string");
        assertProblem(pipelineWith("  parameters {\n    string(defaultValue: 'x')\n  }"), 4,
                "missing required parameter 'name'");
        assertProblem(pipelineWith("  parameters {\n    string(name: 'X', defualtValue: 'x')\n  }"), 4,
                "Unknown parameter 'defualtValue'", "'defaultValue'");
        assertProblem(pipelineWith("  parameters {\n    string(name: 'A')\n    text(name: 'A')\n  }"), 5,
                "Duplicate parameter 'A'");
        assertProblem(pipelineWith("  parameters {\n    string(name: 'my param')\n  }"), 4, "must start with a letter");
        assertProblem(pipelineWith("  parameters {\n    choice(name: 'C', choices: 3)\n  }"), 4,
                "must be a list of strings");
    }

    @Test
    void triggersAndCronSpecs() {
        assertClean(pipelineWith("  triggers {\n    cron('H 4 * * 1-5')\n    pollSCM('H/15 * * * *')\n"
                + "    upstream(upstreamProjects: 'a, b', threshold: hudson.model.Result.SUCCESS)\n  }"));
        assertClean(pipelineWith("  triggers { upstream(upstreamProjects: 'a', threshold: 'UNSTABLE') }"));
        assertProblem(pipelineWith("  triggers {\n    cron('61 * * * *')\n  }"), 4, "minute field", "out of range");
        assertProblem(pipelineWith("  triggers {\n    cronn('@daily')\n  }"), 4, "Unknown trigger 'cronn'", "'cron'");
        assertProblem(pipelineWith("  triggers {\n    upstream(upstreamProjects: 'a', threshold: 'GREEN')\n  }"), 4,
                "threshold");
    }

    @Test
    void tools() {
        assertClean(pipelineWith("  tools {\n    maven 'M3'\n    jdk 'jdk21'\n    nodejs 'node20'\n  }"));
        assertProblem(pipelineWith("  tools {\n    mavn 'M3'\n  }"), 4, "Unknown tool type 'mavn'", "'maven'");
        assertProblem(pipelineWith("  tools {\n    maven 3\n  }"), 4, "must be a string");
    }

    @Test
    void whenConditions() {
        assertClean(stageWith("when {\n beforeAgent true\n anyOf {\n  branch 'main'\n"
                + "  branch pattern: 'release-*', comparator: 'GLOB'\n  buildingTag()\n  tag 'v*'\n"
                + "  changelog '.*skip.*'\n  changeset pattern: '**/*.js', caseSensitive: true\n  changeRequest()\n"
                + "  changeRequest target: 'main'\n  environment name: 'A', value: 'b'\n"
                + "  equals expected: 2, actual: currentBuild.number\n  expression { return params.X }\n"
                + "  not { branch 'dev' }\n  allOf { branch 'a'; branch 'b' }\n  triggeredBy 'TimerTrigger'\n }\n}\n"
                + "steps { echo 'x' }"));
        assertProblem(stageWith("when {\n brnch 'main'\n}\nsteps { echo 'x' }"), 6, "Unknown when condition 'brnch'",
                "'branch'");
        assertProblem(stageWith("when {\n not { branch 'a'; branch 'b' }\n}\nsteps { echo 'x' }"), 6,
                "exactly one condition");
        assertProblem(stageWith("when {\n anyOf { }\n}\nsteps { echo 'x' }"), 6, "at least one condition");
        assertProblem(stageWith("when {\n branch pattern: 'x', comparator: 'FUZZY'\n}\nsteps { echo 'x' }"), 6,
                "comparator", "EQUALS, GLOB, REGEXP");
        assertProblem(stageWith("when {\n environment name: 'A'\n}\nsteps { echo 'x' }"), 6,
                "missing required parameter 'value'");
        assertProblem(stageWith("when {\n beforeAgent 'yes'\n branch 'x'\n}\nsteps { echo 'x' }"), 6, "true or false");
        assertProblem(stageWith("when {\n expression { ech 'x' }\n}\nsteps { echo 'x' }"), 6, "Unknown step 'ech'");
    }

    @Test
    void stageInput() {
        assertClean(stageWith("input {\n message 'Deploy?'\n ok 'Yes'\n submitter 'admins'\n"
                + " submitterParameter 'WHO'\n id 'deploy'\n parameters { choice(name: 'TO', choices: ['a']) }\n}\n"
                + "steps { echo 'x' }"));
        assertProblem(stageWith("input {\n ok 'Yes'\n}\nsteps { echo 'x' }"), 5, "needs a message");
        assertProblem(stageWith("input {\n message 'x'\n submiter 'a'\n}\nsteps { echo 'x' }"), 7,
                "Unknown setting 'submiter'", "'submitter'");
    }

    @Test
    void postConditions() {
        StringBuilder all = new StringBuilder("  post {\n");
        for (String c : DeclarativeGrammar.POST_CONDITIONS) {
            all.append("    ").append(c).append(" { echo '").append(c).append("' }\n");
        }
        assertClean(pipelineWith("").replace("  stages {", all + "  }\n  stages {"));
        assertProblem(stageWith("steps { echo 'x' }\npost {\n failur { echo 'x' }\n}"), 7,
                "Unknown post condition 'failur'", "'failure'");
        assertProblem(stageWith("steps { echo 'x' }\npost {\n always { echo 'x' }\n always { echo 'y' }\n}"), 8,
                "Duplicate post condition 'always'");
        assertProblem(stageWith("steps { echo 'x' }\npost {\n always { def x = 1 }\n}"), 7, "Expected a step");
        assertEquals(java.util.List.of("always", "changed", "fixed", "regression", "aborted", "failure", "success",
                "unstable", "unsuccessful", "cleanup"), java.util.List.copyOf(DeclarativeGrammar.POST_CONDITIONS));
    }

    private static String matrix(String body) {
        return stageWith("matrix {\n" + body + "\n}");
    }

    private static final String AXES = "axes {\n axis {\n  name 'OS'\n  values 'linux', 'mac'\n }\n"
            + " axis {\n  name 'JDK'\n  values '17', '21'\n }\n}";

    @Test
    void matrixAxesExcludesAndStages() {
        assertClean(matrix(AXES + "\nexcludes { exclude { axis { name 'OS'; values 'mac' }; axis { name 'JDK';"
                + " notValues '21' } } }\nagent any\nstages { stage('Build') { steps { echo \"${OS}\" } } }"));
        assertProblem(matrix("stages { stage('B') { steps { echo 'x' } } }"), 5, "Missing required section 'axes'");
        assertProblem(matrix(AXES), 5, "Missing required section 'stages'");
        assertProblem(matrix("axes {\n axis { name 'OS'; values 'a' }\n axis { name 'OS'; values 'b' }\n}\n"
                + "stages { stage('B') { steps { echo 'x' } } }"), 8, "Duplicate axis name 'OS'");
        assertProblem(matrix("axes {\n axis { name 'OS' }\n}\nstages { stage('B') { steps { echo 'x' } } }"), 7,
                "needs values");
        assertProblem(matrix("axes {\n axis { name 'my os'; values 'a' }\n}\nstages { stage('B') { steps { echo 'x' } } }"),
                7, "valid identifier");
        assertProblem(matrix(AXES + "\nexcludes {\n exclude { axis { name 'OZ'; values 'mac' } }\n}\n"
                + "stages { stage('B') { steps { echo 'x' } } }"), 17, "Unknown axis 'OZ'", "'OS'");
        assertProblem(matrix(AXES + "\nexcludes {\n exclude { axis { name 'OS'; values 'mac' } }\n"
                + " exclude { axis { name 'OS'; notValues 'mac' } }\n}\nstages { stage('B') { steps { echo 'x' } } }"),
                16, "matrix excludes remove every cell");
    }

    @Test
    void matrixStageNamesRepeatOnlyOutsideTheMatrixAndMatrixDoesNotNest() {
        String src = "pipeline {\n agent any\n stages {\n  stage('Build') { steps { echo 'x' } }\n"
                + "  stage('M') {\n   matrix {\n    axes { axis { name 'A'; values '1' } }\n"
                + "    stages {\n     stage('Build') { steps { echo 'x' } }\n     stage('Build') { steps { echo 'y' } }\n"
                + "    }\n   }\n  }\n }\n}\n";
        LintResult r = TestSteps.lint(src);
        TestSteps.assertProblem(r, 10, "Duplicate stage name 'Build'");
        assertEquals(1, r.problems().size(), TestSteps.show(r));
        assertProblem(stageWith("parallel {\n stage('P') {\n  matrix {\n   axes { axis { name 'A'; values '1' } }\n"
                + "   stages { stage('X') { steps { echo 'x' } } }\n  }\n }\n}"), 7, "matrix cannot be nested inside parallel");
        assertProblem(matrix("axes { axis { name 'A'; values '1' } }\nstages {\n stage('X') {\n  parallel {\n"
                + "   stage('Y') { steps { echo 'y' } }\n  }\n }\n}"), 9, "parallel cannot be nested inside matrix");
    }

    @Test
    void librariesSectionTakesLibAndHidesUnknownSteps() {
        assertClean(pipelineWith("  libraries {\n    lib('shared@1.0')\n  }").replace("echo 'x'", "deployEverything()"));
        assertProblem(pipelineWith("  libraries {\n    library 'x'\n  }"), 4, "Only lib(");
    }
}
