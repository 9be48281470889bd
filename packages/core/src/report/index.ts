// Rendering for people: markdown tables, annotations, echoed tool output.
export { escapeMarkdown, markdownTable } from './markdown.js'
export { formatAnnotation, selectAnnotations, withCommandsStopped, type Annotation } from './annotations.js'
