// A scripted pipeline: functions, a loop that builds parallel branches, error handling
// with try/catch/finally, and results read back from the shell.
// expect log: result: built-worker
// expect log: all 3 modules built
def buildModule(String name) {
    sh "mkdir -p out && echo built-${name} > out/${name}.txt"
    return readFile("out/${name}.txt").trim()
}

node {
    def modules = ['api', 'web', 'worker']
    stage('Build') {
        def branches = [:]
        for (m in modules) {
            def module = m
            branches[module] = {
                echo "result: ${buildModule(module)}"
            }
        }
        parallel branches
    }
    stage('Verify') {
        try {
            def count = sh(script: 'ls out | wc -l', returnStdout: true).trim() as int
            if (count != modules.size()) {
                error "expected ${modules.size()} modules, found ${count}"
            }
            echo "all ${count} modules built"
        } catch (e) {
            currentBuild.result = 'FAILURE'
            throw e
        } finally {
            echo 'verification done'
        }
    }
}
