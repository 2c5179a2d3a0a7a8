// Transitional: Lstm.cs and LstmStream.cs are being rewritten on another branch and still call the argument
// checks by their old class name. This alias is local to this assembly (a global using is never exported), so
// user code sees no type named 'Check' in the LstmGen namespace, and FsCheck's 'Check' is not shadowed.
// Delete this file once those two files say 'Guard'.
global using Check = LstmGen.Guard;
