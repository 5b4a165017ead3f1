package dev.gantry.engine.pipeline;

/** Whether a Jenkinsfile is declarative (a top-level {@code pipeline { }}) or scripted Groovy. */
public enum PipelineKind {
    DECLARATIVE,
    SCRIPTED
}
