//! What the templates read of the values every page shares. Every page
//! gets `site.years` with each year's article count; when no template shows
//! a count, a new article in a year that has some already changes no page
//! but those that list it, and the server need not render every page again.
//! The answer comes from the compiled templates' syntax trees and errs on
//! the safe side: any use it cannot follow counts as showing the counts.

use tera::Tera;
use tera::ast::{Expr, ExprVal, Node};

/// Whether any template may show the article counts of `site.years`.
pub fn shows_year_counts(tera: &Tera) -> bool {
    tera.templates
        .values()
        .any(|template| nodes(&template.ast, &[]))
}

/// Whether `nodes` may show the counts; `years` are the names a loop over
/// `site.years` gives its items in this scope.
fn nodes<'a>(nodes: &'a [Node], years: &[&'a str]) -> bool {
    nodes.iter().any(|node| match node {
        Node::VariableBlock(_, expr) => expression(expr, years),
        Node::MacroDefinition(_, definition, _) => {
            definition
                .args
                .values()
                .flatten()
                .any(|e| expression(e, years))
                || self::nodes(&definition.body, &[])
        }
        Node::Set(_, set) => expression(&set.value, years),
        Node::FilterSection(_, section, _) => {
            section.filter.args.values().any(|e| expression(e, years))
                || self::nodes(&section.body, years)
        }
        Node::Block(_, block, _) => self::nodes(&block.body, years),
        Node::Forloop(_, forloop, _) => {
            let over_years = forloop.container.filters.is_empty()
                && matches!(&forloop.container.val, ExprVal::Ident(name) if name == "site.years");
            let mut inner = years.to_vec();
            if over_years {
                inner.push(&forloop.value);
            } else if expression(&forloop.container, years) {
                return true;
            }
            self::nodes(&forloop.body, &inner)
                || forloop
                    .empty_body
                    .as_ref()
                    .is_some_and(|body| self::nodes(body, years))
        }
        Node::If(branches, _) => {
            branches.conditions.iter().any(|(_, condition, body)| {
                // `{% if site.years %}` tests whether there are years: no count shown.
                let truthiness = condition.filters.is_empty()
                    && matches!(&condition.val, ExprVal::Ident(name) if name == "site.years");
                (!truthiness && expression(condition, years)) || self::nodes(body, years)
            }) || branches
                .otherwise
                .as_ref()
                .is_some_and(|(_, body)| self::nodes(body, years))
        }
        Node::Super
        | Node::Text(_)
        | Node::Extends(..)
        | Node::Include(..)
        | Node::ImportMacro(..)
        | Node::Raw(..)
        | Node::Break(_)
        | Node::Continue(_)
        | Node::Comment(..) => false,
    })
}

/// Whether an expression may show the counts.
fn expression(expr: &Expr, years: &[&str]) -> bool {
    expr.filters
        .iter()
        .any(|f| f.args.values().any(|e| expression(e, years)))
        || value(&expr.val, years)
}

fn value(val: &ExprVal, years: &[&str]) -> bool {
    match val {
        ExprVal::Ident(name) => identifier(name, years),
        ExprVal::Math(math) => expression(&math.lhs, years) || expression(&math.rhs, years),
        ExprVal::Logic(logic) => expression(&logic.lhs, years) || expression(&logic.rhs, years),
        ExprVal::Test(test) => {
            identifier(&test.ident, years) || test.args.iter().any(|e| expression(e, years))
        }
        ExprVal::MacroCall(call) => call.args.values().any(|e| expression(e, years)),
        ExprVal::FunctionCall(call) => call.args.values().any(|e| expression(e, years)),
        ExprVal::Array(items) => items.iter().any(|e| expression(e, years)),
        ExprVal::StringConcat(concat) => concat.values.iter().any(|v| value(v, years)),
        ExprVal::In(within) => expression(&within.lhs, years) || expression(&within.rhs, years),
        ExprVal::String(_) | ExprVal::Int(_) | ExprVal::Float(_) | ExprVal::Bool(_) => false,
    }
}

/// Whether reading the variable `name` may show a count: the whole site, the
/// years as a value, a year item whole or its `count`, or the whole context.
fn identifier(name: &str, years: &[&str]) -> bool {
    if name == "site" || name.starts_with("site[") || name == "__tera_context" {
        return true;
    }
    if name.starts_with("site.years") {
        return true;
    }
    years.iter().any(|year| {
        name == *year
            || name
                .strip_prefix(year)
                .is_some_and(|rest| rest.starts_with('[') || rest.starts_with(".count"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shows(source: &str) -> bool {
        let mut tera = Tera::default();
        tera.add_raw_template("t.html", source).expect("a template");
        shows_year_counts(&tera)
    }

    #[test]
    fn follows_the_uses_of_site_years() {
        assert!(!shows(
            "{% if site.years %}{% for y in site.years %}<a href=\"{{ y.url }}\">{{ y.year }}</a>{% endfor %}{% endif %}"
        ));
        assert!(!shows(
            "{{ site.title }} {% for y in years %}{{ y.count }}{% endfor %}"
        ));
        assert!(shows("{% for y in site.years %}{{ y.count }}{% endfor %}"));
        assert!(shows(
            "{% for y in site.years %}{{ y | json_encode }}{% endfor %}"
        ));
        assert!(shows(
            "{% for y in site.years | reverse %}{{ y.year }}{% endfor %}"
        ));
        assert!(shows("{{ site.years | length }}"));
        assert!(shows("{{ site | json_encode }}"));
        assert!(shows(
            "{% set ys = site.years %}{% for y in ys %}{{ y.count }}{% endfor %}"
        ));
        assert!(shows(
            "{% for y in site.years %}{% if y.count > 3 %}x{% endif %}{% endfor %}"
        ));
        assert!(shows("{{ __tera_context }}"));
    }
}
