package dev.gantry.engine.agent;

import java.util.Set;

/**
 * A label expression as Jenkins writes them: labels joined with {@code &&}, {@code ||},
 * {@code ->} (implies) and {@code <->} (iff), negated with {@code !}, grouped with parentheses;
 * a label with unusual characters may be double-quoted. A node matches when the expression holds
 * for its set of labels (which includes its own name). Immutable.
 */
abstract sealed class LabelExpression {
    /** Matches every node: no label, or a blank one. */
    static final LabelExpression ANY = new Any();

    /** Whether a node with {@code labels} matches. */
    abstract boolean matches(Set<String> labels);

    /**
     * Parses {@code text}; null or blank gives {@link #ANY}.
     *
     * @throws IllegalArgumentException naming the expression, the column and what was expected
     */
    static LabelExpression parse(String text) {
        if (text == null || text.isBlank()) {
            return ANY;
        }
        Parser p = new Parser(text);
        LabelExpression e = p.iff();
        p.skipSpace();
        if (p.pos < text.length()) {
            throw p.error("unexpected '" + text.substring(p.pos) + "'");
        }
        return e;
    }

    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        LabelExpression iff() {
            LabelExpression left = implies();
            while (accept("<->")) {
                LabelExpression l = left;
                LabelExpression r = implies();
                left = new Op("<->", l, r);
            }
            return left;
        }

        LabelExpression implies() {
            LabelExpression left = or();
            if (accept("->")) {
                left = new Op("->", left, implies());
            }
            return left;
        }

        LabelExpression or() {
            LabelExpression left = and();
            while (accept("||")) {
                left = new Op("||", left, and());
            }
            return left;
        }

        LabelExpression and() {
            LabelExpression left = not();
            while (accept("&&")) {
                left = new Op("&&", left, not());
            }
            return left;
        }

        LabelExpression not() {
            if (accept("!")) {
                return new Not(not());
            }
            if (accept("(")) {
                LabelExpression inner = iff();
                if (!accept(")")) {
                    throw error("a ')' is missing");
                }
                return inner;
            }
            return atom();
        }

        LabelExpression atom() {
            skipSpace();
            if (pos >= text.length()) {
                throw error("a label is missing at the end");
            }
            if (text.charAt(pos) == '"') {
                int end = text.indexOf('"', pos + 1);
                if (end < 0) {
                    throw error("the quoted label is not closed");
                }
                String label = text.substring(pos + 1, end);
                pos = end + 1;
                return new Atom(label);
            }
            int start = pos;
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (Character.isWhitespace(c) || "&|!()\"".indexOf(c) >= 0 || text.startsWith("->", pos) || text.startsWith("<->", pos)) {
                    break;
                }
                pos++;
            }
            if (pos == start) {
                throw error("a label is expected, found '" + text.charAt(pos) + "'");
            }
            return new Atom(text.substring(start, pos));
        }

        boolean accept(String token) {
            skipSpace();
            if (text.startsWith(token, pos)) {
                pos += token.length();
                return true;
            }
            return false;
        }

        void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException("invalid label expression '" + text + "' at column " + (pos + 1) + ": " + what
                    + " (write labels joined with &&, ||, ! and parentheses, e.g. 'linux && (docker || podman)')");
        }
    }

    private static final class Any extends LabelExpression {
        @Override
        boolean matches(Set<String> labels) {
            return true;
        }

        @Override
        public String toString() {
            return "";
        }
    }

    private static final class Atom extends LabelExpression {
        private final String label;

        Atom(String label) {
            this.label = label;
        }

        @Override
        boolean matches(Set<String> labels) {
            return labels.contains(label);
        }

        @Override
        public String toString() {
            return label;
        }
    }

    private static final class Not extends LabelExpression {
        private final LabelExpression inner;

        Not(LabelExpression inner) {
            this.inner = inner;
        }

        @Override
        boolean matches(Set<String> labels) {
            return !inner.matches(labels);
        }

        @Override
        public String toString() {
            return "!" + inner;
        }
    }

    private static final class Op extends LabelExpression {
        private final String op;
        private final LabelExpression left;
        private final LabelExpression right;

        Op(String op, LabelExpression left, LabelExpression right) {
            this.op = op;
            this.left = left;
            this.right = right;
        }

        @Override
        boolean matches(Set<String> labels) {
            boolean l = left.matches(labels);
            return switch (op) {
                case "&&" -> l && right.matches(labels);
                case "||" -> l || right.matches(labels);
                case "->" -> !l || right.matches(labels);
                default -> l == right.matches(labels);
            };
        }

        @Override
        public String toString() {
            return "(" + left + " " + op + " " + right + ")";
        }
    }
}
