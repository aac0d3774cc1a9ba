-- Test script: answers its first argument.
return ARGV[1]
