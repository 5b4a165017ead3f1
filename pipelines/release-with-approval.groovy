// A release: build and stash the package, ask for approval with a choice of target,
// deploy from the stash in another directory, archive the release notes.
// Answered in tests with: --input Release=production
// demo-arg: --input
// demo-arg: Release=production
// expect log: deploying app 1.4.0 to production
// expect artifact: dist/NOTES.md
pipeline {
    agent any
    parameters {
        string(name: 'VERSION', defaultValue: '1.4.0', description: 'The version to release')
        booleanParam(name: 'DRY_RUN', defaultValue: false, description: 'Only show what would happen')
    }
    stages {
        stage('Build') {
            steps {
                sh 'mkdir -p dist && echo "app $VERSION" > dist/app.txt && echo "notes for $VERSION" > dist/NOTES.md'
                stash name: 'release', includes: 'dist/**'
            }
        }
        stage('Approve') {
            input {
                message 'Release to which environment?'
                id 'Release'
                ok 'Release'
                parameters {
                    choice(name: 'TARGET', choices: ['staging', 'production'], description: 'Where to release')
                }
            }
            steps {
                echo "approved release of ${params.VERSION} to ${TARGET}"
                script {
                    env.RELEASE_TARGET = TARGET
                }
            }
        }
        stage('Deploy') {
            when {
                not { expression { params.DRY_RUN } }
            }
            steps {
                dir('deploy') {
                    unstash 'release'
                    sh 'echo "deploying $(cat dist/app.txt) to $RELEASE_TARGET"'
                }
                archiveArtifacts artifacts: 'dist/NOTES.md'
            }
        }
    }
    post {
        success { echo "released ${params.VERSION} to ${env.RELEASE_TARGET}" }
        aborted { echo 'release was not approved' }
    }
}
