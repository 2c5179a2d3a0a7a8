using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace LstmGen.Generators.Tests;

/// <summary>
/// Walks a pipeline value by reflection (fields, readable properties, array and sequence elements, recursively)
/// and lists every object a cached model must not hold: symbols, syntax, locations, trees, semantic models, compilations.
/// Holding one defeats caching and keeps whole compilations alive.
/// </summary>
internal static class ModelGraph
{
    private static readonly Type[] Forbidden =
    {
        typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxToken), typeof(SyntaxTrivia), typeof(SyntaxNodeOrToken),
        typeof(SyntaxReference), typeof(Location), typeof(SyntaxTree), typeof(SemanticModel), typeof(Compilation),
        typeof(AttributeData), typeof(TypedConstant),
    };

    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    /// <summary>Paths to forbidden objects, and the number of objects visited.</summary>
    public static (List<string> Violations, int Visited) Walk(object? root, string rootName = "value")
    {
        var violations = new List<string>();
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var visited = 0;
        Visit(root, rootName, depth: 0);
        return (violations, visited);

        void Visit(object? value, string path, int depth)
        {
            if (value is null) return;
            var type = value.GetType();
            if (type.IsPrimitive || type.IsEnum || value is string or decimal or Type or Delegate or Pointer) return;
            if (!type.IsValueType && !seen.Add(value)) return;
            visited++;
            if (Forbidden.Any(f => f.IsInstanceOfType(value)))
            {
                violations.Add($"{path}: {type.FullName}");
                return;
            }
            if (depth > 64)
            {
                violations.Add($"{path}: graph deeper than 64 levels");
                return;
            }

            if (value is Array array)
            {
                var i = 0;
                foreach (var element in array) Visit(element, $"{path}[{i++}]", depth + 1);
                return;
            }

            // Fields cover every stored value, including record and auto-property backing fields and EquatableArray's array.
            for (var t = type; t is not null && t != typeof(object) && t != typeof(ValueType); t = t.BaseType)
            {
                foreach (var field in t.GetFields(Instance | BindingFlags.DeclaredOnly))
                {
                    if (field.FieldType.IsPointer || field.FieldType.IsByRefLike) continue;
                    Visit(field.GetValue(value), $"{path}.{field.Name}", depth + 1);
                }
            }

            // Readable properties of our own model types catch computed members that would hand out Roslyn objects.
            if (type.Assembly == typeof(LstmCellGenerator).Assembly)
            {
                foreach (var property in type.GetProperties(Instance))
                {
                    if (property.GetIndexParameters().Length > 0 || property.GetMethod is null || property.PropertyType.IsByRefLike) continue;
                    if (property.Name == "EqualityContract") continue;
                    object? propertyValue;
                    try
                    {
                        propertyValue = property.GetValue(value);
                    }
                    catch (TargetInvocationException)
                    {
                        continue;
                    }
                    Visit(propertyValue, $"{path}.{property.Name}", depth + 1);
                }
            }
            else if (value is IEnumerable sequence && !type.Namespace!.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal))
            {
                var i = 0;
                foreach (var element in sequence) Visit(element, $"{path}[{i++}]", depth + 1);
            }
        }
    }
}
