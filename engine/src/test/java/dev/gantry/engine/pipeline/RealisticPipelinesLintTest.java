package dev.gantry.engine.pipeline;

import static dev.gantry.engine.pipeline.TestSteps.assertClean;

import org.junit.jupiter.api.Test;

/** Big, realistic declarative Jenkinsfiles as teams write them lint clean. */
class RealisticPipelinesLintTest {

    @Test
    void mavenBuildWithTests() {
        assertClean("""
                def mvnFlags = '-B -ntp'
                pipeline {
                    agent { label 'linux && java' }
                    tools { maven 'Maven 3.9'; jdk 'temurin-21' }
                    options {
                        buildDiscarder(logRotator(numToKeepStr: '20', artifactNumToKeepStr: '5'))
                        timeout(time: 45, unit: 'MINUTES')
                        timestamps()
                        disableConcurrentBuilds(abortPrevious: true)
                        skipStagesAfterUnstable()
                    }
                    triggers { pollSCM('H/10 * * * 1-5') }
                    parameters {
                        booleanParam(name: 'SKIP_IT', defaultValue: false, description: 'Skip integration tests')
                        string(name: 'MAVEN_PROFILE', defaultValue: 'ci', trim: true)
                    }
                    environment {
                        MAVEN_OPTS = '-Xmx1g'
                        NEXUS = credentials('nexus-deployer')
                        VERSION = "1.0.${env.BUILD_NUMBER}"
                    }
                    stages {
                        stage('Checkout') { steps { checkout scm } }
                        stage('Compile') { steps { sh "mvn ${mvnFlags} -P${params.MAVEN_PROFILE} compile" } }
                        stage('Unit tests') {
                            steps { sh "mvn ${mvnFlags} test" }
                            post { always { junit testResults: 'target/surefire-reports/*.xml', allowEmptyResults: true } }
                        }
                        stage('Integration tests') {
                            when { not { expression { params.SKIP_IT } } }
                            options { timeout(time: 20, unit: 'MINUTES'); retry(2) }
                            steps {
                                sh "mvn ${mvnFlags} verify -DskipUnitTests"
                            }
                        }
                        stage('Package') {
                            steps {
                                sh "mvn ${mvnFlags} -DskipTests package"
                                archiveArtifacts artifacts: 'target/*.jar', fingerprint: true
                                stash name: 'jar', includes: 'target/*.jar'
                            }
                        }
                    }
                    post {
                        success { echo "Built ${env.VERSION}" }
                        failure { echo 'Build failed' }
                        cleanup { cleanWs() }
                    }
                }
                """);
    }

    @Test
    void nodeBuild() {
        assertClean("""
                pipeline {
                    agent any
                    tools { nodejs 'node-20' }
                    environment { CI = 'true'; npm_config_cache = 'npm-cache' }
                    stages {
                        stage('Install') { steps { sh 'npm ci' } }
                        stage('Checks') {
                            failFast true
                            parallel {
                                stage('Lint') { steps { sh 'npm run lint' } }
                                stage('Test') {
                                    steps { sh 'npm test -- --reporter=junit' }
                                    post { always { junit 'reports/*.xml' } }
                                }
                                stage('Types') { steps { sh 'npx tsc --noEmit' } }
                            }
                        }
                        stage('Build') {
                            when { anyOf { branch 'main'; buildingTag() } }
                            steps {
                                sh 'npm run build'
                                script {
                                    def pkg = readFile('package.json')
                                    def version = (pkg =~ /"version": "([^"]+)"/)[0][1]
                                    currentBuild.displayName = "#${env.BUILD_NUMBER} ${version}"
                                }
                                archiveArtifacts 'dist/**'
                            }
                        }
                    }
                }
                """);
    }

    @Test
    void parallelMatrix() {
        assertClean("""
                pipeline {
                    agent none
                    options { parallelsAlwaysFailFast() }
                    stages {
                        stage('Matrix') {
                            matrix {
                                agent { label "${PLATFORM}" }
                                when { anyOf { expression { params.FULL }; environment name: 'PLATFORM', value: 'linux' } }
                                axes {
                                    axis { name 'PLATFORM'; values 'linux', 'windows', 'mac' }
                                    axis { name 'BROWSER'; values 'firefox', 'chrome', 'safari', 'edge' }
                                }
                                excludes {
                                    exclude {
                                        axis { name 'PLATFORM'; values 'linux' }
                                        axis { name 'BROWSER'; values 'safari' }
                                    }
                                    exclude {
                                        axis { name 'PLATFORM'; notValues 'windows' }
                                        axis { name 'BROWSER'; values 'edge' }
                                    }
                                }
                                stages {
                                    stage('Build') { steps { echo "Build ${PLATFORM} ${BROWSER}" } }
                                    stage('Test') {
                                        steps { echo "Test ${PLATFORM} ${BROWSER}" }
                                        post { failure { echo 'cell failed' } }
                                    }
                                }
                            }
                        }
                    }
                }
                """);
    }

    @Test
    void releaseWithInputApproval() {
        assertClean("""
                pipeline {
                    agent any
                    parameters {
                        choice(name: 'TARGET', choices: ['staging', 'production'], description: 'Where to')
                        text(name: 'NOTES', defaultValue: '', description: 'Release notes')
                    }
                    triggers { cron('TZ=Europe/Berlin\\nH 3 * * 1-5') }
                    stages {
                        stage('Build') {
                            steps {
                                sh './gradlew build'
                                stash name: 'dist', includes: 'build/libs/**'
                            }
                        }
                        stage('Approve') {
                            when { branch 'main'; beforeInput true }
                            input {
                                message 'Release to production?'
                                ok 'Release'
                                submitter 'release-managers'
                                submitterParameter 'APPROVER'
                                parameters {
                                    string(name: 'CHANGE_ID', defaultValue: '', description: 'Change ticket')
                                    booleanParam(name: 'NOTIFY', defaultValue: true)
                                }
                            }
                            steps { echo "Approved by ${APPROVER} for ${CHANGE_ID}" }
                        }
                        stage('Release') {
                            when { allOf { branch 'main'; environment name: 'TARGET', value: 'production' } }
                            options { timeout(time: 30, unit: 'MINUTES') }
                            environment { DEPLOY_TOKEN = credentials('deploy-token') }
                            steps {
                                unstash 'dist'
                                withCredentials([usernamePassword(credentialsId: 'registry', usernameVariable: 'U',
                                        passwordVariable: 'P')]) {
                                    sh 'echo "$P" | docker login -u "$U" --password-stdin registry.example'
                                }
                                retry(3) { sh './deploy.sh' }
                                script {
                                    def answer = input message: 'Smoke tests passed?', ok: 'Yes'
                                    if (answer) { echo 'confirmed' }
                                }
                            }
                        }
                    }
                    post {
                        always { echo 'done' }
                        regression { echo 'got worse' }
                        fixed { echo 'fixed again' }
                    }
                }
                """);
    }
}
