module github.com/nuanxin/nuanxin

go 1.26.8
