// Placeholder entry; replaced by the CLI dispatcher.
console.log('modelgate 0.1.0');
