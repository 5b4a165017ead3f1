// A test matrix: every platform and JDK combination but one runs its tests in parallel,
// each cell writes a JUnit report, and the results are gathered. One flaky cell is
// retried. Expected: SUCCESS with 5 cells x 2 tests = 10 tests.
// expect tests: 10
// expect log: tests passed on windows with JDK 21
// expect log: collected 5 reports
// expect log: test run nightly done
// expect artifact: reports/TEST-linux-17.xml
pipeline {
    agent any
    parameters {
        string(name: 'LABEL', defaultValue: 'nightly', description: 'A label for this test run')
    }
    options {
        parallelsAlwaysFailFast()
    }
    stages {
        stage('Prepare') {
            steps {
                writeFile file: 'test.sh', text: '''#!/bin/sh
set -e
mkdir -p reports
cat > "reports/TEST-$PLATFORM-$JDK.xml" <<XML
<testsuite name="suite-$PLATFORM-$JDK" tests="2" failures="0" errors="0" skipped="0">
  <testcase classname="app.$PLATFORM.jdk$JDK" name="starts" time="0.01"/>
  <testcase classname="app.$PLATFORM.jdk$JDK" name="serves" time="0.02"/>
</testsuite>
XML
echo "tests passed on $PLATFORM with JDK $JDK"
'''
                sh 'chmod +x test.sh'
            }
        }
        stage('Test') {
            matrix {
                axes {
                    axis {
                        name 'PLATFORM'
                        values 'linux', 'windows', 'mac'
                    }
                    axis {
                        name 'JDK'
                        values '17', '21'
                    }
                }
                excludes {
                    exclude {
                        axis {
                            name 'PLATFORM'
                            values 'windows'
                        }
                        axis {
                            name 'JDK'
                            notValues '21'
                        }
                    }
                }
                stages {
                    stage('Unit') {
                        options {
                            retry(2)
                        }
                        steps {
                            sh './test.sh'
                        }
                    }
                }
            }
        }
        stage('Report') {
            steps {
                junit 'reports/*.xml'
                archiveArtifacts artifacts: 'reports/*.xml', fingerprint: true
                echo "test run ${params.LABEL} done"
                script {
                    def files = sh(script: 'ls reports | wc -l', returnStdout: true).trim()
                    echo "collected ${files} reports"
                }
            }
        }
    }
}
